//! Whether a variable the code reads holds a secret: by its name (`*_PASSWORD`, a database URL
//! that may carry credentials) or by what the code hands its value to (a session or JWT
//! signer, a database client's password).

use super::words::STORES;

/// Shown instead of a secret's committed default.
pub const COMMITTED: &str = "(a value committed in the code; not shown)";

/// Ends the default of a variable whose fallback is a library's built-in address
/// (`X ? new Redis(X) : new Redis()`): nothing is committed, so there is nothing to hide.
const LIBRARY_OWN: &str = "'s own)";

/// `localhost:6379 (the Redis client's own)`: the value `library` uses when it is given none.
pub fn library_default(value: &str, library: &str) -> String {
    format!("{value} ({library}{LIBRARY_OWN}")
}

/// Whether a default is a library's built-in value rather than one written in the code.
pub fn is_library_default(default: &str) -> bool {
    default.ends_with(LIBRARY_OWN)
}

/// Name parts that say the value is the secret itself.
/// Plurals name lists of them (`INIT_ADMIN_API_TOKENS`); `PW` is LDAP's bind password. A
/// `SALT` committed with the code lets anyone recompute the hashes it seasons.
const SECRET_PARTS: [&str; 22] = [
    "SALT",
    // A JSON Web Key set an app signs with (`POLAR_JWKS`), and a one-time code that lets a
    // reviewer in (`APP_REVIEW_OTP_CODE`).
    "JWKS",
    "JWK",
    "OTP",
    // A code that lets a visitor in (`PASSCODE`, an app's access code).
    "PASSCODE",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "PW",
    "SECRET",
    "TOKEN",
    "PASSPHRASE",
    "CREDENTIALS",
    // A TURN server's or a service account's (`TURN_SERVER_CREDENTIAL`).
    "CREDENTIAL",
    // Shortened (`GOOGLE_JWT_CRED_JSON`, `SMTP_CREDS`).
    "CRED",
    "CREDS",
    "APIKEY",
    "TOKENS",
    "SECRETS",
    "PASSWORDS",
    "PASSPHRASES",
];

/// Words anywhere in a name that make it a switch or a rate about a secret, not the secret:
/// `AUTH_ENABLE_API_TOKEN`, `UNLEASH_EXPERIMENTAL_SECURE_TOKEN`, `PASSWORD_RESET_LIMIT_PER_MINUTE`.
/// `HAPI_FHIR_CORS_ALLOW_CREDENTIALS`, `TURN_STRICT_AUTH`, `HIDE_USER_API_KEY`: switches too, as
/// is `AZURE_STORAGE_USE_CONNECTION_STRING` (whether to use one, not the string).
const SWITCH_OR_RATE: [&str; 13] = [
    // `OAUTH2_ALLOWED_TOKEN_DOMAINS`: which domains may hold a token.
    "ALLOWED",
    "ENABLE",
    "ENABLED",
    "DISABLE",
    "DISABLED",
    "EXPERIMENTAL",
    "PER",
    "ALLOW",
    "STRICT",
    "HIDE",
    "SHOW",
    "SKIP",
    "USE",
];

/// Last name parts that make a secret-sounding name a setting about the secret: how long a
/// token lives, where a secret file is, whether password login is on.
const ABOUT_A_SECRET: [&str; 89] = [
    // A duration by another name (`TOKEN_UPDATE_LAST_LOGIN_THRESHOLD=5 seconds`), and where a
    // secret is kept or used (`SECRETKEY_AWS_REGION=us-east-1`, `TOKEN_BUCKET`).
    "THRESHOLD",
    "REGION",
    "BUCKET",
    "HOST",
    "PORT",
    "DOMAIN",
    "DOMAINS",
    // Who the key is given with (`SMTP_APIKEY_USER=apikey`): a login name, not the key.
    "USER",
    "USERNAME",
    // Units of a duration (`JWT_ACCESS_TOKEN_EXP_IN_SEC`, `TOKEN_TTL_MS`) and its short name.
    "SEC",
    "SECS",
    "MS",
    "MILLIS",
    "MINS",
    "EXP",
    "HRS",
    "MINUTE",
    "HOUR",
    "SECOND",
    "DAY",
    "ENABLED",
    // Which LDAP attribute holds a user's mail or name (`LDAP_EMAIL_ATTR=mail`), and the
    // pattern of a throttle (`THROTTLE_PASS_RESET_PATTERN=10/hour`): settings, not secrets.
    "ATTR",
    "ATTRS",
    "ATTRIBUTE",
    "ATTRIBUTES",
    "PATTERN",
    // Counts and rates of tokens (an LLM budget, a throttle), not tokens.
    "BUDGET",
    "RATE",
    "LIMIT",
    "COUNT",
    "MONTH",
    "MAX",
    "MIN",
    "SIZE",
    "AGE",
    "AUDIENCE",
    "ISSUER",
    "DURATION",
    "ROUNDS",
    "COST",
    "INTERVAL",
    "STRENGTH",
    "DISABLED",
    "EXPIRES",
    "EXPIRE",
    "EXPIRATION",
    "EXPIRY",
    "LIFETIME",
    "TTL",
    "TIME",
    "TIMEOUT",
    "MINUTES",
    "HOURS",
    "DAYS",
    "SECONDS",
    "IN",
    "FILE",
    "PATH",
    "DIR",
    "HEADER",
    "NAME",
    "PREFIX",
    "COOKIE",
    "SAMESITE",
    "STRATEGY",
    "TRUSTED",
    "CREATION",
    "ERRORS",
    "ID",
    "TYPE",
    "MODE",
    "LENGTH",
    "ALGORITHM",
    // How a client proves itself (`AUTH_OIDC_TOKEN_ENDPOINT_AUTH_METHOD=client_secret_basic`).
    "METHOD",
    "URI",
    // Where a token is fetched from (`OPENID_TOKEN_URL`): an endpoint; URLs that carry
    // credentials (a database's, a proxy's, a mail server's) are judged before.
    "URL",
    "URLS",
    "ENDPOINT",
    // How long a used token still counts (`REFRESH_TOKEN_GRACE_PERIOD`), and how often a salt
    // changes (`SALT_ROTATION=month`).
    "PERIOD",
    "ROTATION",
    "GRACE",
    "WINDOW",
    "DELAY",
    "FIELD",
    "POLICY",
    // How long before another reset mail (`PASSWORD_RESET_EMAIL_COOLDOWN`), and the role or
    // scope a key is given (`SECRET_API_KEY_ROLE=readonly`).
    "COOLDOWN",
    "ROLE",
    "ROLES",
    "SCOPES",
];

/// Words that make a `*_KEY` name public or a pointer: a site key shown to browsers, a file
/// name, a key of a map. (An access key id is half of a credential pair: it is kept with its
/// secret.)
/// PostHog's project key is written into every page the browser loads. A header's key
/// (`TRUSTED_HEADER_AUTH_KEY=Remote-User`) names the header a proxy sets, not a credential.
/// A tag manager's container id and an analytics measurement id (`GOOGLE_TAG_MANAGER_KEY`,
/// `GA_MEASUREMENT_KEY`) are rendered into every page too: identifiers, not credentials.
const PUBLIC_KEY_WORDS: [&str; 13] = [
    "SITE",
    "PUBLIC",
    "PUBLISHABLE",
    "MAP",
    "MAPS",
    "CACHE",
    "POSTHOG",
    "HEADER",
    "HEADERS",
    "TAG",
    "GTM",
    "ANALYTICS",
    "MEASUREMENT",
];

/// First words of the names a front-end framework inlines into the bundle it ships to every
/// browser (`NEXT_PUBLIC_*`, `NUXT_PUBLIC_*`, `EXPO_PUBLIC_*`, SvelteKit's `PUBLIC_*`): whatever
/// the rest says, every visitor can read the value, so it protects nothing.
fn shipped_to_browsers(parts: &[&str]) -> bool {
    match parts {
        ["PUBLIC", _, ..] => true,
        [framework, "PUBLIC", _, ..] => matches!(*framework, "NEXT" | "NUXT" | "EXPO"),
        _ => false,
    }
}

/// Whether every visitor's browser gets the value of `name` (`NEXT_PUBLIC_TOLGEE_API_KEY`):
/// whatever the code hands it to, it protects nothing.
pub fn shipped_to_browsers_by_name(name: &str) -> bool {
    let upper = super::words::words_of(name);
    let parts: Vec<&str> = upper.split('_').filter(|p| !p.is_empty()).collect();
    shipped_to_browsers(&parts)
}

/// Whether `default` is the work factor of a hash rather than a salt: `BCRYPT_SALT || 10` hands
/// bcrypt its cost (4 to 31), which anyone may know; a real salt is a string of its own.
pub fn is_work_factor(name: &str, default: &str) -> bool {
    let upper = super::words::words_of(name);
    let salt = upper.split('_').any(|p| p == "SALT");
    let cost = default.len() <= 2 && !default.is_empty() && default.chars().all(|c| c.is_ascii_digit());
    salt && cost
}

/// The name inside a wrapper the last part names: `OPENAI_API_KEY_CONFIG`, `ADMIN_TOKENS_JSON`
/// (a structure of what the rest names), `JWT_PRIVATE_KEY_BASE64`, `SIGNING_KEY_PEM` (the key,
/// written in an encoding).
fn wrapped_name(parts: &[&str]) -> Option<String> {
    let (last, rest) = parts.split_last()?;
    let before = rest.last()?;
    let structure = matches!(*last, "CONFIG" | "JSON") && !matches!(*before, "FILE" | "PATH" | "DIR");
    // `APPLE_KEY_VALUE`: the key's value itself.
    let encoding = matches!(*last, "BASE64" | "B64" | "PEM" | "HEX" | "ENCODED" | "VALUE");
    (structure || encoding).then(|| rest.join("_"))
}

/// Why a variable's name says it holds a secret, or `None`.
pub fn secret_by_name(name: &str) -> Option<String> {
    let upper = super::words::words_of(name);
    let parts: Vec<&str> = upper.split('_').filter(|p| !p.is_empty()).collect();
    let last = *parts.last()?;
    let first = parts[0];
    // `SECRET_PORT`, `SECRET_MAX_FILE_SIZE`: an app that prefixes every variable with its own
    // name (Hemmelig's `SECRET_*`) says nothing about the value with that prefix, so the rest of
    // the name is judged. `SECRET_KEY_BASE` and `SECRET_ACCESS_KEY` keep it: there the secret
    // word is part of what the value is.
    if parts.len() > 1
        && matches!(first, "SECRET" | "SECRETS")
        && !matches!(parts[1], "KEY" | "KEYS" | "ACCESS" | "SALT" | "BASE")
    {
        return secret_by_name(&parts[1..].join("_"));
    }
    if shipped_to_browsers(&parts) {
        return None;
    }
    if let Some(why) = particular_names(&parts) {
        return why;
    }
    if let Some(inner) = wrapped_name(&parts) {
        return secret_by_name(&inner);
    }
    if a_switch_count_or_delimiter(&parts) {
        return None;
    }
    if let Some(why) = credentials_url(&parts).or_else(|| connection_by_kind(&parts)) {
        return Some(why.into());
    }
    if ABOUT_A_SECRET.contains(&last) {
        return None;
    }
    if let Some(why) = carries_a_key(last, parts.len()) {
        return Some(why.into());
    }
    // `KEY_S2_AUTHENTICATED`, `KEY_LR_S0_LEGACY`: a family of keys named after what each opens.
    if parts.len() > 1 && parts[0] == "KEY" {
        return Some("its name starts with KEY".into());
    }
    // `DATABASE_CONNECTION_POOL_MAX`: a number about the connection, not the connection.
    let about_a_connection = matches!(
        last,
        "MIN" | "MAX" | "SIZE" | "LIMIT" | "COUNT" | "RETRIES" | "ATTEMPTS" | "IDLE" | "SSL" | "SCHEMA" | "TIMEOUT"
    );
    if about_a_connection {
        return None;
    }
    // `DATABASE_URL_READ_ONLY`, `DATABASE_CONNECTION_STRING`: still the connection.
    let store = parts.iter().any(|p| names_a_store(p));
    if store && parts.iter().any(|p| matches!(*p, "URL" | "URI" | "URLS" | "CONNECTION" | "CONN" | "DSN")) {
        return Some("a connection URL, which may carry credentials".into());
    }
    secret_words(&parts)
}

/// `REQUIRE_AUTH`, `FORCE_ONETIME_SECRETS`, `PREVENT_EMAIL_PASSWORD`: whether a rule holds;
/// `MAX_PASSWORD_RESET_EMAILS`, `NUM_TOKENS`: how many; `REPLICA_DATABASE_URLS_DELIMITER=,`:
/// the character a list is split at. None of them is the secret its name mentions.
fn a_switch_count_or_delimiter(parts: &[&str]) -> bool {
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    // Under an app's prefix the rule's word comes later (`PSITRANSFER_REQUIRE_BUCKET_PASSWORD`,
    // `DJANGO_MFA_ALWAYS_REVEAL_BACKUP_TOKENS`).
    let switch = parts[..parts.len() - 1].iter().any(|part| {
        matches!(
            *part,
            "DISABLE"
                | "ENABLE"
                | "ALLOW"
                | "USE"
                | "IS"
                | "HAS"
                | "REQUIRE"
                | "FORCE"
                | "PREVENT"
                | "DISALLOW"
                | "ALWAYS"
                | "REVEAL"
        )
    });
    let count = matches!(first, "MAX" | "MIN" | "NUM" | "NUMBER" | "TOTAL");
    let delimiter = matches!(last, "DELIMITER" | "SEPARATOR" | "DELIM" | "SEP");
    switch || count || delimiter || parts.iter().any(|p| SWITCH_OR_RATE.contains(p))
}

/// The secret word a name holds, run together or as a part of its own, or its key ending.
fn secret_words(parts: &[&str]) -> Option<String> {
    let last = parts[parts.len() - 1];
    // `CLIENTSECRET`, `SESSIONSECRET`, `PASSWORDSALT` (Spring's `password-salt`): run-together
    // names still end in the secret word;
    // `OSS_SECRETKEY`, `JWT_PRIVATEKEY`: or hold it before the key they are, as Spring's relaxed
    // names of `cipherKey` and `signingKey` do (`SHIRO_COOKIE_CIPHERKEY`).
    if let Some(word) = parts.iter().find(|p| {
        SECRET_PARTS.contains(p)
            || ["SECRET", "PASSWORD", "TOKEN", "APIKEY", "SALT", "CREDENTIALS", "CREDENTIAL"]
                .iter()
                .any(|w| p.ends_with(w) && p.len() > w.len())
            || ["SECRETKEY", "PRIVATEKEY", "CIPHERKEY", "ENCRYPTIONKEY", "SIGNINGKEY"].iter().any(|w| p.ends_with(w))
    }) {
        return Some(format!("its name contains {word}"));
    }
    // `API_KEY_COINGECKO`: a family of keys named after their provider.
    if parts.len() > 2 && parts[0] == "API" && parts[1] == "KEY" {
        return Some("its name starts with API_KEY".into());
    }
    if last == "AUTH" && parts.len() > 1 {
        return Some("its name ends in AUTH".into());
    }
    // `APP_KEYS=k1,k2`: a list of signing keys, rotated by adding one in front.
    let key = last == "KEY" || last == "SKEY" || last == "KEYS";
    // `LDAP_EMAIL_KEY=mail`: an LDAP setting's key names an attribute of the directory's
    // entries; the credential LDAP binds with is its password.
    let ldap_attribute = parts.contains(&"LDAP");
    // `POSTHOG_PERSONAL_API_KEY`: a person's key to the service's API, never shown to browsers.
    let public = !parts.contains(&"PERSONAL") && parts.iter().any(|p| PUBLIC_KEY_WORDS.contains(p));
    if key && parts.len() > 1 && !ldap_attribute && !public {
        return Some("its name ends in KEY".into());
    }
    None
}

/// Names whose kind the general rules get wrong: an access code (`ADMIN_ACCESS_CODES`) is the
/// password a visitor types; an access key id (`S3_ACCESS_KEY_ID`) is half of a credential
/// pair; a service account's key may be inline (`GOOGLE_SERVICE_ACCOUNT_JSON`); an
/// OpenTelemetry exporter's headers carry its API key; `GOOGLE_APPLICATION_CREDENTIALS` is the
/// path of a key file, not the key. `None` when the general rules judge the name (the secret
/// half of a pair, `AWS_SECRET_ACCESS_KEY`, among them).
fn particular_names(parts: &[&str]) -> Option<Option<String>> {
    match parts {
        ["GOOGLE", "APPLICATION", "CREDENTIALS"] => Some(None),
        [.., "ACCESS", "CODE" | "CODES"] => Some(Some("an access code, which lets a visitor in".into())),
        [.., "SERVICE", "ACCOUNT", "JSON" | "KEY"]
        | ["GOOGLE" | "GCP" | "GCLOUD" | "GCS", .., "SERVICE", "ACCOUNT"] => {
            Some(Some("a service account's key, which signs in as it".into()))
        }
        // `SSL_KEY=/etc/ssl/key.pem`, `PARSE_DASHBOARD_SSL_KEY`: where the server's TLS key file
        // is, which the server reads from disk.
        // A database client's key (`CB_DB_SSL_KEY`) is handed over as its content.
        [.., "SSL" | "TLS" | "HTTPS", "KEY" | "CERT"] if !parts.iter().any(|p| names_a_store(p)) => Some(None),
        // `GITHUB_PEM`: a private key written out; `GITHUB_PAT`: a personal access token.
        [_, .., "PEM"] if !parts.iter().any(|p| matches!(*p, "CERT" | "PUBLIC" | "CA" | "CHAIN")) => {
            Some(Some("a PEM-encoded private key".into()))
        }
        [_, .., "PAT"] => Some(Some("a personal access token".into())),
        [.., "SECRET", "ACCESS", "KEY"] | [.., "SECRET", "ACCESS", "KEY", "ID"] => None,
        [.., "ACCESS", "KEY", "ID"] | [.., "ACCESS", "KEY"] | [.., "ACCESSKEY", "ID"] | [.., "ACCESSKEY"] => {
            Some(Some("an access key id, half of a credential pair: it is kept with its secret".into()))
        }
        [.., "OTLP", "HEADERS"] | [.., "OTLP", _, "HEADERS"] => {
            Some(Some("an exporter's request headers, which carry its API key".into()))
        }
        _ => None,
    }
}

/// Why a name whose last part is the value's kind holds a key: a DSN, or a webhook
/// (`SLACK_WEBHOOK`), whose URL carries the token that posts to it in its path.
fn carries_a_key(last: &str, parts: usize) -> Option<&'static str> {
    match last {
        "DSN" => Some("a DSN carries a key or credentials"),
        "WEBHOOK" | "WEBHOOKS" if parts > 1 => Some("a webhook URL, whose path is the token that posts to it"),
        _ => None,
    }
}

/// Why a name ending in a URL (`MONGODB_URI`, `SQLALCHEMY_DATABASE_URI`, `SMTP_URL`,
/// `HTTP_PROXY_URL`) holds one that may carry credentials: a database's, a broker's, a proxy's
/// or a mail server's. `None` for other names.
fn credentials_url(parts: &[&str]) -> Option<&'static str> {
    let connection = |p: &&str| matches!(*p, "URL" | "URI" | "URLS" | "CONNECTION" | "DSN");
    let (last, before) = parts.split_last()?;
    // `DATABASE_CONNECTION_POOL_MAX` is a number about the connection, judged by its last part.
    if !connection(last) {
        return None;
    }
    // `CACHE_URL=redis://:password@host`: a cache's connection.
    if parts.iter().any(|p| names_a_store(p) || *p == "CACHE") {
        return Some("a connection URL, which may carry credentials");
    }
    if parts.iter().any(|p| matches!(*p, "PROXY" | "PROXIES")) {
        return Some("a proxy URL, which may carry credentials");
    }
    // `SMTP_URL`, `EMAIL_URL`: the mail transport's URL, `smtp://user:password@host`.
    let mail = before.last().is_some_and(|p| matches!(*p, "SMTP" | "MAIL" | "EMAIL" | "MAILER" | "TRANSPORT"));
    if mail {
        return Some("a mail server URL, which may carry credentials");
    }
    // `SLACK_WEBHOOK_URL`: a chat service's incoming webhook is its own token.
    if before.len() > 1 && before[before.len() - 1] == "WEBHOOK" && before.iter().any(|p| CHAT_SERVICES.contains(p)) {
        return Some("a chat service's webhook URL, whose path is the token that posts to it");
    }
    // `APPRISE_STATELESS_URLS`, `NOTIFY_URLS`: a list of notification services' URLs, each with
    // the service's token or password in it (`tgram://bot-token/chat`, `mailto://user:pass@host`).
    let notifications = *last == "URLS" && before.iter().any(|p| NOTIFICATION_WORDS.contains(p));
    notifications.then_some("notification service URLs, which carry the services' tokens and passwords")
}

/// Why a name that ends in what it connects to, not in `URL`, holds a connection string with
/// credentials: `*_CONNECTION_STRING` (Azure's carry the account key), `PRETALX_CELERY_BROKER`,
/// `CELERY_RESULT_BACKEND`, `APP_REDIS` (the broker's or store's URL, `redis://:pass@host`).
/// A count or a database number after the store (`SNAPPASS_REDIS_DB`) ends in something else.
fn connection_by_kind(parts: &[&str]) -> Option<&'static str> {
    let (last, before) = parts.split_last()?;
    let previous = before.last().copied().unwrap_or("");
    if (*last == "STRING" && previous == "CONNECTION") || *last == "CONNECTIONSTRING" {
        return Some("a connection string, which carries credentials or an account key");
    }
    let queue = *last == "BROKER" || (*last == "BACKEND" && before.contains(&"CELERY"));
    let store = matches!(*last, "REDIS" | "VALKEY" | "KEYDB" | "AMQP" | "RABBITMQ") && !before.is_empty();
    let pretend = before.iter().any(|p| matches!(*p, "MOCK" | "FAKE" | "USE" | "IN"));
    ((queue || store) && !pretend).then_some("a broker's or store's URL, which may carry credentials")
}

/// Chat services whose incoming webhook URL carries its token in its path.
const CHAT_SERVICES: [&str; 7] = ["SLACK", "DISCORD", "TEAMS", "MATTERMOST", "ROCKETCHAT", "GCHAT", "ZULIP"];

/// Name parts of a list of notification targets (Apprise's and shoutrrr's service URLs).
const NOTIFICATION_WORDS: [&str; 7] =
    ["APPRISE", "SHOUTRRR", "NOTIFY", "NOTIFICATION", "NOTIFICATIONS", "ALERT", "ALERTS"];

/// Why a committed default holds a credential whatever the name says: a URL with a password
/// in it (`redis://:hunter2@cache:6379`) or a token in its query (`...?site=x&token=1uAO...`).
pub fn secret_by_default(value: &str) -> Option<String> {
    let keyword_password =
        keyword_dsn(value).is_some_and(|pairs| pairs.iter().any(|(k, v)| *k == "password" && !v.is_empty()));
    if keyword_password {
        return Some("its default is a connection string with a password in it".into());
    }
    let (_, rest) = value.split_once("://")?;
    // `postgresql+asyncpg://`, `sqlite:///`: a scheme the code joins a host to, no credential.
    if rest.trim_matches('/').is_empty() {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let password =
        authority.rsplit_once('@').and_then(|(user, _)| user.split_once(':')).is_some_and(|(_, p)| !p.is_empty());
    if password {
        return Some("its default is a URL with a password in it".into());
    }
    // `mongodb://localhost:27017/app`: the local database of a developer; the production value
    // of the same setting is the database's URL with its user and password. (A cache or a
    // broker, `redis://cache:6379`, often runs without one.)
    let scheme = value.split_once("://").map_or("", |(scheme, _)| scheme).to_ascii_lowercase();
    let store = scheme.split('+').next().unwrap_or("");
    let database_schemes = ["mongodb", "postgres", "postgresql", "mysql", "mariadb"];
    if database_schemes.contains(&store) {
        return Some("its default is a database URL, whose production value carries the credentials".into());
    }
    let query = rest.split_once('?').map_or("", |(_, q)| q);
    let keyed = query.split('&').filter_map(|pair| pair.split_once('=')).any(|(key, value)| {
        let key = key.to_ascii_lowercase().replace(['-', '_'], "");
        let credential = ["token", "key", "apikey", "secret", "password", "accesstoken", "sig", "signature"];
        credential.contains(&key.as_str()) && value.len() >= 8
    });
    keyed.then(|| "its default is a URL with a token in its query".into())
}

/// The pairs of a libpq keyword DSN (`user=postgres password=secret dbname=app sslmode=disable`):
/// two or more space-separated `key=value` words, one of them naming the database or its user.
pub fn keyword_dsn(value: &str) -> Option<Vec<(&str, &str)>> {
    let pairs: Vec<(&str, &str)> = value.split_whitespace().filter_map(|word| word.split_once('=')).collect();
    let every_word = pairs.len() == value.split_whitespace().count();
    let names_database = pairs.iter().any(|(key, _)| matches!(*key, "dbname" | "user" | "sslmode"));
    (pairs.len() >= 2 && every_word && names_database).then_some(pairs)
}

/// Whether a name part is a data store, or a hosted one named after it (`MONGOHQ`,
/// `MONGOLAB`, `REDISCLOUD`).
fn names_a_store(part: &str) -> bool {
    // `REDISCLOUD`, `MONGOLAB`, and a host's name before the store (`CLOUDAMQP`).
    let hosted = |store: &&str| {
        let before = store.len() >= 4 && part.ends_with(store);
        (store.len() >= 5 && part.starts_with(store) || before) && part.len() <= store.len() + 5
    };
    part != "DATASOURCE" && (STORES.contains(&part) || STORES.iter().any(hosted))
}

/// What a value handed to `key` is, when `key` takes a secret: `secret:` of a session or
/// cookie parser, `password:` of a database or SMTP client, a JWT `secretOrKey`.
pub fn secret_by_use(key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    let what = match lower.as_str() {
        "secret" | "secrets" | "keys" | "cookiesecret" | "sessionsecret" => "a session, cookie or signing secret",
        "secretorkey" | "secretorprivatekey" | "privatekey" | "signingkey" => "a JWT signing key",
        "password" | "pass" | "passwd" | "pwd" => "a password given to a client",
        "apikey" | "api_key" | "token" | "accesstoken" | "authtoken" => "a token given to a client",
        "connectionstring" | "databaseurl" | "databaseuri" | "mongourl" | "mongouri" | "mongodburl" | "mongodburi"
        | "dburl" | "dburi" | "dsn" => "a database connection string",
        "clientsecret" | "client_secret" => "an OAuth client secret",
        _ => return None,
    };
    Some(format!("passed as `{key}`: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_25s_names_judged_by_what_they_hold() {
        for name in [
            "S3_ACCESS_KEY",
            "S3_STORAGE_ACCESS_KEY_ID",
            "AWS_ACCESS_KEY_ID",
            "POSTHOG_PERSONAL_API_KEY",
            "OTEL_EXPORTER_OTLP_HEADERS",
            "CACHE_URL",
            "CLOUDAMQP_URL",
            "POLAR_JWKS",
            "POLAR_GOOGLE_SERVICE_ACCOUNT_JSON",
            "POLAR_APPLE_KEY_VALUE",
            "APP_REVIEW_OTP_CODE",
        ] {
            assert!(secret_by_name(name).is_some(), "{name}");
        }
        assert!(secret_by_name("AWS_SECRET_ACCESS_KEY").is_some_and(|why| !why.contains("key id")));
        for name in [
            "TOKEN_UPDATE_LAST_LOGIN_THRESHOLD",
            "SECRETKEY_AWS_REGION",
            "OAUTH2_ALLOWED_TOKEN_DOMAINS",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "JWKS_URL",
            "NEXT_PRIVATE_SMTP_APIKEY_USER",
            "TOKEN_USERNAME",
        ] {
            assert_eq!(secret_by_name(name), None, "{name}");
        }
        assert!(shipped_to_browsers_by_name("NEXT_PUBLIC_TOLGEE_API_KEY"));
    }

    #[test]
    fn round_27s_names_judged_by_what_they_hold() {
        for name in [
            "CMD_LDAP_BINDCREDENTIALS",
            "GITHUB_PEM",
            "FEATURE_LIFECYCLE_GITHUB_PAT",
            "DATABASE_SSL_KEY_BASE64",
            "CB_DB_SSL_KEY",
            "GOOGLE_SERVICE_ACCOUNT",
            "POSTGRES_TEST_CONN",
        ] {
            assert!(secret_by_name(name).is_some(), "{name}");
        }
        for name in [
            "MAX_PASSWORD_RESET_EMAILS",
            "PASSWORD_RESET_EMAIL_COOLDOWN",
            "PREVENT_EMAIL_PASSWORD",
            "REPLICA_DATABASE_URLS_DELIMITER",
            "SECRET_API_KEY_ROLE",
            "REQUIRE_AUTH",
            "FORCE_ONETIME_SECRETS",
            "TLS_KEY",
            "PARSE_DASHBOARD_SSL_KEY",
            "SSL_CERT_PEM",
        ] {
            assert_eq!(secret_by_name(name), None, "{name}");
        }
    }

    #[test]
    fn names_that_hold_secrets() {
        for name in [
            "SESSION_SECRET",
            "JWT_PRIVATE_KEY_BASE64",
            "SIGNING_KEY_PEM",
            "JwtSecret",
            "GOOGLE_JWT_CRED_JSON",
            "RedisPassword",
            "DatabaseUrl",
            "APIKey",
            "DATABASE_URL",
            "DATABASE_URL_READ_ONLY",
            "SHIORI_PG_PASS",
            "ME_CONFIG_SITE_COOKIESECRET",
            "GOTIFY_OIDC_CLIENTSECRET",
            "SENTRY_DSN",
            "TWILIO_AUTH",
            "OPENAI_API_KEY",
            "API_KEY_COINGECKO_PRO",
            "CELERY_BROKER_URL",
            "PAY_WEB_AZURE_STORAGE_CONNECTION_STRING",
            "ServiceBusConnectionString",
            "PRETALX_CELERY_BROKER",
            "PRETALX_CELERY_BACKEND",
            "PRETALX_REDIS",
            "LOGCHIMP_VALKEY_URL",
            "HTTP_CLIENT_PROXY_URL",
            "STRIPE_SKEY",
            "INIT_ADMIN_API_TOKENS",
            "SIGNING_PASSPHRASES",
            "LDAP_1_BIND_PW",
            "SMTP_PASS",
            "DB_PWD",
            "SECRET_JWT_SECRET",
            "SECRET_ROOT_PASSWORD",
            "SECRET_AWS_S3_KEY",
            "SECRET_KEY_BASE",
            "SECRET_ACCESS_KEY",
            "SALT",
            "SECURITY_PASSWORD_SALT",
            "APP_SECURITY_PASSWORDSALT",
            "SECRET_KEY",
            "MONGODB_URI",
            "SQLALCHEMY_DATABASE_URI",
            "SMTP_URL",
            "EMAIL_URL",
            "DATABASE_CONNECTION_STRING",
            "HTTP_CLIENT_PROXY_URL",
            "OSS_SECRETKEY",
            "JWT_PRIVATEKEY",
            "MONGOHQ_URL",
            "MONGOLAB_URI",
            "REDISCLOUD_URL",
            "OPENAI_API_KEY_CONFIG",
            "FORWARD_KEY_CONFIG",
            "ACCESS_CODE",
            "ADMIN_PASSCODE",
            "SLACK_WEBHOOK",
            "DISCORD_WEBHOOK_URL",
            "APPRISE_STATELESS_URLS",
        ] {
            assert!(secret_by_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn committed_urls_that_carry_credentials() {
        assert!(
            secret_by_default("http://data.example.com/urls?site=https://blog.example&token=1uAOGrMsUm5syDGn")
                .is_some()
        );
        assert!(secret_by_default("redis://:hunter2@cache:6379/0").is_some());
        assert!(secret_by_default("postgres://app:app@localhost/app").is_some());
        assert!(secret_by_default("mongodb://localhost:27017/app").is_some(), "a database's URL");
        assert!(secret_by_default("mongodb+srv://cluster0.example.net/app").is_some());
        assert!(secret_by_default("user=postgres password=postgres dbname=app sslmode=disable").is_some());
        assert!(secret_by_default("user=postgres dbname=app").is_none(), "no password in it");
        assert!(keyword_dsn("a=b and more").is_none(), "prose with an equals sign");
        for plain in ["http://localhost:3000/callback?next=/", "redis://cache:6379", "https://user@host/x", "none"] {
            assert!(secret_by_default(plain).is_none(), "{plain}");
        }
    }

    #[test]
    fn names_about_secrets_are_not_secrets() {
        for name in [
            "JWT_ACCESS_TOKEN_EXP_IN_SEC",
            "JWT_REFRESH_TOKEN_EXP_IN_SEC",
            "REFRESH_TOKEN_TTL_MS",
            "JWT_PUBLIC_KEY_BASE64",
            "JWT_ACCESS_EXPIRATION_MINUTES",
            "TokenExpiresTime",
            "MaxFileSize",
            "DisableRegister",
            "AUTH_JWT_TOKEN_EXPIRES_IN",
            "LDAP_AUTH_ENABLED",
            "ADMIN_PASSWORD_FILE",
            "DISABLE_LOCAL_AUTH",
            "DATABASE_CONNECTION_POOL_MAX",
            "TOKEN_MAX_AGE",
            "JWT_TOKEN_AUDIENCE",
            "PASSWORD_SALT_ROUNDS",
            "GOOGLE_RECAPTCHA_SITE_KEY",
            "PORT",
            "BASE_URL",
            // A webhook the app calls on the operator's own endpoint, and where the app answers.
            "APPRISE_WEBHOOK_URL",
            "APPRISE_BASE_URL",
            "SMTP_AUTH_STRATEGY",
            "PRIVATE_MODE",
            "KEY",
            "REDASH_LDAP_DISPLAY_NAME_KEY",
            "REDASH_LDAP_EMAIL_KEY",
            "LDAP_EMAIL_ATTR",
            "AUTH_LDAP_USER_ATTRIBUTE",
            "REDASH_THROTTLE_PASS_RESET_PATTERN",
            "AUTH_ENABLE_API_TOKEN",
            "PASSWORD_RESET_LIMIT_PER_MINUTE",
            "UNLEASH_EXPERIMENTAL_SECURE_TOKEN",
            "POSTHOG_KEY",
            "JWT_KEY_FILE",
            "SSH_KEY_PATH",
            // A namespace prefix (Hemmelig's `SECRET_*`) is not what the value is.
            "SECRET_PORT",
            "SECRET_HOST",
            "SECRET_LOCAL_HOSTNAME",
            "SECRET_MAX_FILE_SIZE",
            "SECRET_ENABLE_X",
            "SECRET_ROOT_USER",
            "SECRET_ROOT_EMAIL",
            "SECRET_AWS_S3_REGION",
            "SECRET_RATE_LIMIT_TIME_WINDOW",
            // Endpoints, durations and switches about tokens and keys.
            "OPENID_TOKEN_URL",
            "OAUTH_TOKEN_URI",
            "REFRESH_TOKEN_GRACE_PERIOD",
            "HIDE_USER_API_KEY",
            "HAPI_FHIR_CORS_ALLOW_CREDENTIALS",
            "SCREEGO_TURN_STRICT_AUTH",
            "EMAIL_VERIFY_URL",
            "DATABASE_POOL_SIZE",
            // The name of a header a proxy sets, and how hard a hash is salted.
            "APP_TRUSTED_HEADER_AUTH_KEY",
            "BCRYPT_SALT_ROUNDS",
            // Whether to use a connection string, a store's database number, a pretend store.
            "AZURE_STORAGE_USE_CONNECTION_STRING",
            "SALT_ROTATION",
            "SNAPPASS_REDIS_DB",
            "MOCK_REDIS",
            "PRETALX_REDIS_SESSIONS",
            // Identifiers every page or browser bundle carries.
            "GOOGLE_TAG_MANAGER_KEY",
            "GTM_KEY",
            "GOOGLE_ANALYTICS_KEY",
            "NEXT_PUBLIC_MAPBOX_TOKEN",
            "NUXT_PUBLIC_API_KEY",
            "PUBLIC_SUPABASE_ANON_KEY",
            "STRIPE_PUBLISHABLE_KEY",
        ] {
            assert_eq!(secret_by_name(name), None, "{name}");
        }
    }

    #[test]
    fn a_salt_of_two_digits_is_a_cost() {
        assert!(is_work_factor("BCRYPT_SALT", "10") && is_work_factor("passwordSalt", "12"));
        assert!(!is_work_factor("BCRYPT_SALT", "$2a$10$abcdefghijklmnopqrstuv"), "a real salt");
        assert!(!is_work_factor("HASH_SALT", "839201"), "digits, but a value of its own");
        assert!(!is_work_factor("APP_PIN", "12"), "no salt");
    }

    #[test]
    fn keys_that_take_secrets() {
        assert!(secret_by_use("secret").is_some());
        assert!(secret_by_use("secretOrKey").is_some());
        assert!(secret_by_use("password").is_some());
        assert_eq!(secret_by_use("port"), None);
    }
}
