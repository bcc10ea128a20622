//! Name parts the variable readers judge names by, kept in one place.

/// Stores an app keeps its data in or cannot work without; their URLs commonly carry a user
/// and password.
pub const STORES: [&str; 20] = [
    "DB",
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
    "AMQP",
    "RABBITMQ",
    "RABBIT",
    "KAFKA",
    "BROKER",
    "CELERY",
    "CLICKHOUSE",
    "ELASTICSEARCH",
    "MEMCACHED",
];

/// Other services an app talks to: a host named for one of these is not where the app listens.
pub const ELSEWHERE: [&str; 8] = ["CACHE", "SMTP", "MAIL", "EMAIL", "LDAP", "PROXY", "S3", "SENTRY"];
