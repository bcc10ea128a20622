//! The well-known ports of what an app talks to rather than serves: data stores, brokers and
//! the protocols a monitor or mailer dials (DNS, SSH, SMTP, LDAP). A number read only because a
//! name says "port" is the app's own only when it is none of these.

/// Data stores and brokers: MongoDB, PostgreSQL, MySQL, Redis, memcached, Elasticsearch,
/// RabbitMQ, SQL Server, Oracle, Cassandra.
pub const STORE_PORTS: [u16; 10] = [27017, 5432, 3306, 6379, 11211, 9200, 5672, 1433, 1521, 9042];

/// Protocols an app reaches as a client: FTP, SSH, SMTP, DNS, POP3, NTP, IMAP, LDAP, SMTPS,
/// submission, LDAPS, IMAPS, POP3S.
const CLIENT_PROTOCOL_PORTS: [u16; 13] = [21, 22, 25, 53, 110, 123, 143, 389, 465, 587, 636, 993, 995];

/// Whether `port` is one an app dials: a store's, a broker's or a client protocol's.
pub fn is_dialed(port: u16) -> bool {
    STORE_PORTS.contains(&port) || CLIENT_PROTOCOL_PORTS.contains(&port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_client_protocols_are_dialed_web_ports_are_not() {
        assert!(is_dialed(53) && is_dialed(5432) && is_dialed(587));
        assert!(!is_dialed(80) && !is_dialed(8080) && !is_dialed(3000));
    }
}
