//! Routes that turn a visitor without a session away though their declaration names no login:
//! the handler's body sends it to a login or setup page (`if (!req.user) return
//! res.redirect('/login')`, `if not current_user.is_authenticated: return
//! redirect(url_for("auth.login"))`), or an app-wide login middleware (`app.use(requireAuth)`)
//! was plugged in before the route. A load balancer counts the redirect as unhealthy.

use std::sync::LazyLock;

use regex::Regex;

/// Where a redirect sends a visitor who has no session.
const LOGIN_TARGETS: [&str; 9] =
    ["login", "signin", "sign-in", "sign_in", "setup", "auth", "onboard", "install", "register"];
/// Where a login page sends a fresh install before anyone can sign in.
const SETUP_TARGETS: [&str; 3] = ["setup", "install", "onboard"];
/// A handler checking for a session before it redirects.
const SESSION_CHECKS: [&str; 6] =
    ["authenticated", "req.user", "req.session", "current_user", "session[", "is_anonymous"];

/// A line that declares another route (a decorator, or `app.get('/x'`).
static NEXT_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:@|[\w$]+\.(?:get|post|put|patch|delete|route|use|all)\(\s*['"/])"#).expect("valid pattern")
});
static APP_MIDDLEWARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([\w$]+)\.use\(\s*([A-Za-z_$][\w$.]*)\s*(?:\(\s*\))?\s*\)").expect("valid pattern")
});

/// Whether the handler of the route declared at `index` redirects a visitor to a login or a
/// setup page: to such a target, or anywhere after finding no session. A login page's own
/// redirects (back to itself after a failed form, or away when already signed in) concern a
/// visitor with a session or a form; only its redirect to a setup page meets a load balancer.
pub(super) fn body_redirects(lines: &[&str], index: usize, login_page: bool) -> bool {
    let targets: &[&str] = if login_page { &SETUP_TARGETS } else { &LOGIN_TARGETS };
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    let mut checked = false;
    let mut rest = lines[index + 1..].iter().skip_while(|l| l.trim_start().starts_with('@')).peekable();
    // A Python view's `def` line sits at the decorator's depth; its body is below it.
    if rest.peek().is_some_and(|l| ["def ", "async def "].iter().any(|d| l.trim_start().starts_with(d))) {
        rest.next();
    }
    let mut body_depth = None;
    for line in rest.take(60) {
        // The handler ends where the code comes back to the declaration's depth, or where the
        // next route is declared.
        let ends = !line.trim().is_empty() && indent(line) <= own;
        if ends || NEXT_ROUTE.is_match(line) {
            break;
        }
        let lower = line.to_ascii_lowercase();
        // A redirect at the body's own depth, after what an `if` served and returned: the
        // page sends every other visitor away (`/login` to `/` unless logins are on).
        let depth = *body_depth.get_or_insert(indent(line));
        if !line.trim().is_empty() && indent(line) == depth && lower.contains(".redirect(") {
            return true;
        }
        // `if not current_user.is_authenticated`, `if (!req.user)`: no session; a check that
        // the visitor has one sends only signed-in visitors elsewhere.
        let negated = ["not ", "!", "is_anonymous", "is none", "== null", "=== undefined", "== nil"];
        checked |= SESSION_CHECKS.iter().any(|c| lower.contains(c)) && negated.iter().any(|n| lower.contains(n));
        if lower.contains("redirect") && ((checked && !login_page) || targets.iter().any(|t| lower.contains(t))) {
            return true;
        }
    }
    false
}

/// Whether the handler of the route declared at `index` answers with no content
/// (`reply.code(204)`, `res.sendStatus(204)`): a load balancer's check wants a 200.
pub(super) fn replies_no_content(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    let body = lines[index + 1..]
        .iter()
        .take(30)
        .take_while(|line| line.trim().is_empty() || indent(line) > own)
        .take_while(|line| !NEXT_ROUTE.is_match(line));
    std::iter::once(&lines[index]).chain(body).any(|line| {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        ["(204)", "(204,", "NO_CONTENT", "noContent("].iter().any(|marker| compact.contains(marker))
    })
}

/// Whether the handler of the route declared at `index` answers every request with a 404
/// (`next({ status: 404 })`, `res.sendStatus(404)`): a path kept only to say it is gone, which
/// a load balancer's check counts as unhealthy. Only a reply at the body's own depth, never
/// one under an `if` that turns away a missing record.
pub(super) fn replies_not_found(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    let not_found = |line: &str| {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        ["status:404", "(404)", "(404,", "NOT_FOUND", "notFound("].iter().any(|marker| compact.contains(marker))
    };
    let (declaration, rest) = (lines[index], &lines[index + 1..]);
    // A one-line handler (`app.get('/old', (req, res) => res.sendStatus(404))`).
    if not_found(declaration.split_once("=>").map_or("", |(_, body)| body)) {
        return true;
    }
    let mut body = rest.iter().take(30).take_while(|line| line.trim().is_empty() || indent(line) > own);
    let Some(first) = body.by_ref().find(|line| !line.trim().is_empty()) else { return false };
    let depth = indent(first);
    std::iter::once(first).chain(body.filter(|line| indent(line) == depth)).any(|line| {
        let opens_branch =
            ["if ", "if(", "} else", "else ", "case ", "catch"].iter().any(|b| line.trim_start().starts_with(b));
        !opens_branch && not_found(line)
    })
}

/// Whether `receiver` was given a login middleware for all its routes (`app.use(requireAuth)`,
/// `router.use(ensureLoggedIn())`) above line `index` of the same file.
pub(super) fn behind_app_middleware(lines: &[&str], index: usize, receiver: &str) -> bool {
    lines[..index].iter().filter_map(|line| APP_MIDDLEWARE.captures(line)).any(|caps| {
        let name = caps[2].rsplit('.').next().unwrap_or(&caps[2]).to_ascii_lowercase();
        &caps[1] == receiver && !caps[2].starts_with("passport.") && asks_for_login(&name)
    })
}

/// Whether a handler for every path of `receiver`, above line `index`, turns away a visitor
/// without a session: `router.all(/.*/, (req, res, next) => { if (!req.user) return
/// res.redirect(303, '/'); next(); })`, or `router.use(function (req, res, next) { ... })`.
/// Express runs it before every route declared after it.
pub(super) fn behind_inline_guard(lines: &[&str], index: usize, receiver: &str) -> bool {
    const SPAN: usize = 8;
    let opens = [
        format!("{receiver}.all(/.*/"),
        format!("{receiver}.all('*'"),
        format!("{receiver}.all(\"*\""),
        format!("{receiver}.use(function"),
        format!("{receiver}.use((req"),
        format!("{receiver}.use(async (req"),
    ];
    lines[..index]
        .iter()
        .enumerate()
        .filter(|(_, line)| opens.iter().any(|open| line.trim_start().starts_with(open.as_str())))
        .any(|(at, _)| {
            let body = &lines[at..(at + SPAN).min(index)];
            let checks = body.iter().any(|l| SESSION_CHECKS.iter().any(|check| l.contains(check)));
            let refuses = body.iter().any(|l| l.contains("redirect") || l.contains("401") || l.contains("403"));
            checks && refuses
        })
}

/// Whether a middleware above line `index` redirects requests for `path` before any route
/// answers them: `app.use((req, res, next) => { if (req.path === '/') return res.redirect(302,
/// '/check'); next(); })`. A load balancer's GET of `path` gets the redirect.
pub(super) fn redirected_by_middleware(lines: &[&str], index: usize, arguments: &str) -> bool {
    const SPAN: usize = 6;
    // The route's own path, from its declaration's arguments (`'/', handler`).
    let path = arguments.split(',').next().unwrap_or("").trim().trim_matches(['\'', '"', '`']);
    let tests_path = |line: &str| {
        ["req.path", "req.url", "request.path", "request.url", "ctx.path"].iter().any(|subject| {
            [format!("{subject} === '{path}'"), format!("{subject} === \"{path}\""), format!("{subject} == '{path}'")]
                .iter()
                .any(|test| line.contains(test.as_str()))
        })
    };
    lines[..index].iter().enumerate().filter(|(_, line)| line.contains(".use(")).any(|(at, _)| {
        let body = &lines[at..(at + SPAN).min(index)];
        body.iter().any(|l| tests_path(l)) && body.iter().any(|l| l.contains("redirect("))
    })
}

/// Whether a Fastify hook that asks for a login (`fastify.addHook('preHandler',
/// fastify.authPreHandler)`, `onRequest` with `jwtVerify`) was added to `receiver` above line
/// `index`, in a scope that still holds the route: Fastify applies an instance's hooks to every
/// route of that instance (the plugin), whatever their declarations say. A hook in a nested
/// `register(...)` closed before the route does not reach it.
pub(super) fn behind_plugin_hook(lines: &[&str], index: usize, receiver: &str) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let hook = format!("{receiver}.addHook(");
    (0..index).rev().filter(|at| lines[*at].trim_start().starts_with(&hook)).any(|at| {
        let own = indent(lines[at]);
        let still_open = lines[at + 1..index].iter().all(|l| l.trim().is_empty() || indent(l) >= own);
        let call: String = lines[at..(at + 6).min(index)].concat();
        let asks = call.split_once(',').is_some_and(|(_, handler)| {
            let handler = handler.to_ascii_lowercase();
            // `requireSession`, `verifyJwt`: a hook's name says what it asks for.
            let session = |word: &str| {
                ["require", "ensure", "verify"].iter().any(|v| word.starts_with(v))
                    && (word.contains("session") || word.contains("jwt"))
            };
            handler.contains("jwtverify")
                || handler.split(|c: char| !c.is_alphanumeric()).any(|word| asks_for_login(word) || session(word))
        });
        still_open && asks
    })
}

/// Whether the handler of the route declared at `index` dereferences the session's user
/// (`req.user.id`, or `const actingUser = req.user` then `actingUser.leaves()`) without first
/// checking there is one: a visitor without a session gets an error, not a 200.
pub(super) fn dereferences_session_user(lines: &[&str], index: usize) -> bool {
    const USERS: [&str; 3] = ["req.user", "request.user", "req.session.user"];
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    let body: Vec<&str> = std::iter::once(lines[index])
        .chain(lines[index + 1..].iter().take(40).take_while(|l| l.trim().is_empty() || indent(l) > own).copied())
        .collect();
    let mut names: Vec<String> = USERS.iter().map(|u| u.to_string()).collect();
    for line in &body {
        let code = line.trim();
        // `if (!req.user)`, `req.user && ...`, `req.user?.id`: the handler checks first.
        let checks =
            |u: &&str| [format!("!{u}"), format!("{u} &&"), format!("if ({u}")].iter().any(|c| code.contains(c));
        if USERS.iter().any(checks) {
            return false;
        }
        if let Some((target, value)) = code.split_once('=')
            && USERS.contains(&value.trim().trim_end_matches([';', ',']))
            && let Some(alias) = target.split_whitespace().last()
        {
            names.push(alias.trim_start_matches('{').to_string());
        }
        let dereferenced = names.iter().any(|name| {
            code.match_indices(&format!("{name}.")).any(|(at, _)| {
                let before = code[..at].chars().next_back();
                before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '$'))
            })
        });
        if dereferenced {
            return true;
        }
    }
    false
}

/// `requireAuth`, `ensureAuthenticated`, `isLoggedIn`, `authMiddleware`, `authenticate`.
fn asks_for_login(name: &str) -> bool {
    let verb = ["require", "ensure", "check", "must", "verify", "is"].iter().any(|v| name.starts_with(v));
    let what = ["auth", "login", "logged", "signedin"].iter().any(|w| name.contains(w));
    (verb && what) || name.starts_with("auth") || name == "loginrequired"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handlers_and_middleware_that_ask_for_a_login() {
        let express = [
            "app.get('/api/ping', (req, res) => res.send('ok'));",
            "app.get('/', (req, res) => {",
            "  if (!req.session.user) {",
            "    return res.redirect('/welcome');",
            "  }",
            "  res.render('index');",
            "});",
            "app.get('/about', (req, res) => res.render('about'));",
            "app.use(passport.session());",
            "app.use(requireAuth);",
            "app.get('/dashboard', (req, res) => res.render('dashboard'));",
        ];
        assert!(!body_redirects(&express, 0, false));
        assert!(body_redirects(&express, 1, false), "redirected after a session check");
        let gone = ["app.get('/old', (req, res, next) => {", "  next({ status: 404 })", "})"];
        assert!(replies_not_found(&gone, 0));
        assert!(replies_not_found(&["app.get('/x', (req, res) => res.sendStatus(404))"], 0));
        let lookup = [
            "app.get('/p', async (req, res) => {",
            "  if (!post) {",
            "    return res.status(404).end()",
            "  }",
            "  res.render('p')",
            "})",
        ];
        assert!(!replies_not_found(&lookup, 0), "a 404 under an if turns away a missing record only");
        assert!(!replies_not_found(&express, 7));
        assert!(!body_redirects(&express, 7, false));
        assert!(!behind_app_middleware(&express, 7, "app"), "passport.session() only restores a session");
        assert!(behind_app_middleware(&express, 10, "app"));
        let home = [
            "app.use((req, res, next) => {",
            "  if (req.path === '/' && !process.env.SHOW_HOME) {",
            "    return res.redirect(302, '/start');",
            "  }",
            "  next();",
            "});",
            "app.get('/', (req, res) => res.render('home'));",
        ];
        assert!(redirected_by_middleware(&home, 6, "'/', home"));
        assert!(!redirected_by_middleware(&home, 6, "'/start', tool"));
        assert!(!behind_app_middleware(&express, 10, "router"));
        let flask =
            ["@app.route(\"/\")", "@cache.cached()", "def index():", "    return redirect(url_for(\"auth.login\"))"];
        assert!(body_redirects(&flask, 0, false));
        let mut first_run =
            vec!["router.get('/admin/login', async (req, res) => {", "    const count = await db.users.count();"];
        first_run.extend(["    if (count > 0) {", "        res.render('login');", "    } else {"]);
        first_run.extend(["        res.redirect('/admin/setup');", "    }", "});", "router.get('/', (req, res) => {"]);
        first_run.extend(["    res.redirect('/admin/setup');", "});"]);
        assert!(body_redirects(&first_run, 0, true), "a login page that sends a fresh install to its setup");
        assert!(body_redirects(&first_run, 8, false));
        assert!(!body_redirects(
            &["app.get('/x', (req, res) => res.send('ok'));", "res.redirect('/login');"],
            0,
            false
        ));
        let login = [
            "@bp.route('/login', methods=['GET', 'POST'])",
            "def login():",
            "    if current_user.is_authenticated:",
            "        return redirect(url_for('main.index'))",
            "    if form.validate_on_submit():",
            "        return redirect(url_for('auth.login'))",
            "    return render_template('login.html')",
        ];
        assert!(!body_redirects(&login, 0, true), "a signed-in visitor or a failed form is sent on, not a probe");
    }

    #[test]
    fn plugin_hooks_and_handlers_that_need_the_session_user() {
        let plugin = [
            "module.exports = async function (fastify) {",
            "  fastify.get('/open', listHandler)",
            "  fastify.register(async function (fastify) {",
            "    fastify.addHook('preHandler', fastify.authPreHandler)",
            "    fastify.get('/me', meHandler)",
            "  })",
            "  fastify.get('/public', listHandler)",
            "  fastify.addHook('onRequest', async (req) => {",
            "    await req.jwtVerify()",
            "  })",
            "  fastify.get('/feed', feedHandler)",
            "}",
        ];
        assert!(!behind_plugin_hook(&plugin, 1, "fastify"));
        assert!(behind_plugin_hook(&plugin, 4, "fastify"));
        assert!(!behind_plugin_hook(&plugin, 6, "fastify"), "the nested plugin's hook stays in it");
        assert!(behind_plugin_hook(&plugin, 10, "fastify"));
        let logging = ["fastify.addHook('onSend', logReply)", "fastify.get('/x', h)"];
        assert!(!behind_plugin_hook(&logging, 1, "fastify"));
        let handlers = [
            "router.get('/notifications/', async (req, res) => {",
            "  const actingUser = req.user;",
            "  const leaves = await actingUser.leaves();",
            "  res.json(leaves);",
            "});",
            "router.get('/who', (req, res) => {",
            "  if (!req.user) return res.json({});",
            "  res.json({ name: req.user.name });",
            "});",
            "router.get('/name', (req, res) => res.json({ name: req.user.name }));",
            "router.get('/maybe', (req, res) => res.json({ name: req.user?.name }));",
        ];
        assert!(dereferences_session_user(&handlers, 0));
        assert!(!dereferences_session_user(&handlers, 5), "checked before use");
        assert!(dereferences_session_user(&handlers, 9));
        assert!(!dereferences_session_user(&handlers, 10));
    }

    #[test]
    fn a_catch_all_handler_turns_away_the_routes_after_it() {
        let lines = [
            "router.get('/', (req, res) => res.render('home'));",
            "router.all(/.*/, function (req, res, next) {",
            "  if (!req.user) {",
            "    return res.redirect(303, '/');",
            "  }",
            "  next();",
            "});",
            "router.get('/calendar/', (req, res) => res.render('calendar'));",
        ];
        assert!(!behind_inline_guard(&lines, 0, "router"));
        assert!(behind_inline_guard(&lines, 7, "router"));
        assert!(!behind_inline_guard(&lines, 7, "app"), "another receiver's handler");
        let logs = [
            "router.use(function (req, res, next) {",
            "  console.log(req.user);",
            "  next();",
            "});",
            "router.get('/x', h);",
        ];
        assert!(!behind_inline_guard(&logs, 4, "router"), "it turns no one away");
    }
}
