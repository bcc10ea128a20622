//! Name parts the variable readers judge names by, kept in one place.

/// Stores an app keeps its data in or cannot work without; their URLs commonly carry a user
/// and password.
pub const STORES: [&str; 31] = [
    "DB",
    "SQL",
    "MSSQL",
    "DATABASE",
    "DATASOURCE",
    "POSTGRES",
    "POSTGRESQL",
    "PG",
    "MYSQL",
    "MARIADB",
    "MONGO",
    "MONGODB",
    "REDIS",
    // Java's Redis clients, named in Spring keys (`spring.redisson.address`).
    "REDISSON",
    "JEDIS",
    "LETTUCE",
    // Redis's open forks.
    "VALKEY",
    "KEYDB",
    "AMQP",
    "RABBITMQ",
    "RABBIT",
    "KAFKA",
    "BROKER",
    "CELERY",
    "CLICKHOUSE",
    "ELASTICSEARCH",
    "MEMCACHED",
    "CASSANDRA",
    "NEO4J",
    "SURREAL",
    "SURREALDB",
];

/// Other services an app talks to: a host named for one of these is not where the app listens.
/// `KV_PORT` is a key-value store's (Redis), `INDEXER_HOST` and `MEILI_PORT` a search engine's.
pub const ELSEWHERE: [&str; 19] = [
    "CACHE",
    "SMTP",
    "MAIL",
    "MAILER",
    "IMAP",
    "EMAIL",
    "LDAP",
    "PROXY",
    "S3",
    "SENTRY",
    "KV",
    "VALKEY",
    "INDEXER",
    "SEARCH",
    "MEILI",
    "MEILISEARCH",
    "OPENSEARCH",
    "SOLR",
    "TYPESENSE",
];

/// A name's words in upper case, joined by `_`: `JwtSecret` and `redisPassword` are split
/// where their case changes (`JWT_SECRET`, `REDIS_PASSWORD`), `APIKey` before its last capital.
/// A name in one case keeps its own separators.
pub fn words_of(name: &str) -> String {
    let mixed = name.chars().any(|c| c.is_ascii_lowercase()) && name.chars().any(|c| c.is_ascii_uppercase());
    if !mixed {
        return name.to_ascii_uppercase();
    }
    let chars: Vec<char> = name.chars().collect();
    let mut words = String::new();
    for (at, &c) in chars.iter().enumerate() {
        let after_lower = at > 0 && (chars[at - 1].is_ascii_lowercase() || chars[at - 1].is_ascii_digit());
        let ends_acronym =
            at > 0 && chars[at - 1].is_ascii_uppercase() && chars.get(at + 1).is_some_and(|n| n.is_ascii_lowercase());
        if c.is_ascii_uppercase() && (after_lower || ends_acronym) && !words.ends_with('_') {
            words.push('_');
        }
        words.push(c.to_ascii_uppercase());
    }
    words
}
