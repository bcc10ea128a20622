//! Fastify's positional `listen(port)` and `listen(port, callback)` (Fastify 2 and 3, still
//! accepted by 4): without a host argument Fastify binds localhost, which a load balancer
//! cannot reach. `listen(port, '0.0.0.0')` or `listen(port, HOST, cb)` names the host.

/// Whether the call whose arguments follow `.listen(` in `after` gives a port and no host.
/// A second argument that may be a host (a name the code computes) is given the benefit of
/// the doubt: only a call with a port alone or a port and a function is claimed.
pub fn binds_loopback(after: &str) -> bool {
    let Some(arguments) = arguments(after) else { return false };
    let parts = crate::analyze::variables::split_top(arguments, ',');
    let Some(port) = parts.first().map(|p| p.trim()) else { return false };
    if port.is_empty() || port.starts_with(['{', '(']) || port.contains("=>") || port.starts_with("function") {
        return false;
    }
    match parts.get(1).map(|p| p.trim()) {
        None => !options_object(port),
        Some(second) => {
            second.starts_with("function")
                || second.starts_with("async")
                || second.starts_with('(') && second.contains("=>")
        }
    }
}

/// Whether a lone argument may be the options object built elsewhere (`listen(config.server)`,
/// `listen(opts)` with `{ host, port }` filled in another file): a bare name whose last part
/// does not say port. A number, a `...PORT` name or an expression (`PORT || 3000`) is the port.
fn options_object(argument: &str) -> bool {
    let name = argument.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.');
    let last = argument.rsplit('.').next().unwrap_or(argument).to_ascii_lowercase();
    name && !argument.starts_with(|c: char| c.is_ascii_digit()) && !last.contains("port")
}

/// The text up to the `)` that closes the call, outside strings; `None` when it does not close.
fn arguments(after: &str) -> Option<&str> {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for (at, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => return Some(&after[..at]),
            (None, ')' | ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::binds_loopback;

    #[test]
    fn a_port_alone_or_with_a_callback_binds_localhost() {
        assert!(binds_loopback("8081)"));
        assert!(binds_loopback("port, (err, address) => {\n  if (err) throw err\n})"));
        assert!(binds_loopback("process.env.PORT || 3000, function (err) {})"));
        assert!(!binds_loopback("8081, '0.0.0.0')"));
        assert!(!binds_loopback("PORT, HOST, () => {})"));
        assert!(!binds_loopback("port, host)"));
        assert!(!binds_loopback("{ port: 3000 })"), "the options form is read elsewhere");
        assert!(!binds_loopback(")"));
        assert!(binds_loopback("config.http.port)"));
        assert!(!binds_loopback("config.fastify)"), "an options object built elsewhere may name the host");
        assert!(!binds_loopback("listenOptions)"));
    }
}
