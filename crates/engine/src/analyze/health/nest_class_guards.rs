//! A Nest controller's guards given on the class (`@UseGuards(JwtGuard)` above `export class
//! UserController`) run before every route of it, whatever the method's own decorators say: a
//! load balancer's GET of such a route answers 401. A method marked public (`@Public()`,
//! `@SkipAuth()`) is the exception a guard reading that metadata lets through.
//! routing-controllers says the same with `@Authorized()` above a `@JsonController` class: its
//! `authorizationChecker` runs before every action of the class.
//! A method's own `@UseGuards(...)` may sit anywhere in its decorator block, above or below the
//! route decorator and past multi-line `@ApiResponse({ ... })` calls; a guard the app module
//! registers as `APP_GUARD` (or `app.useGlobalGuards`) runs before every route of the app.

/// Decorators by which a method opts out of the guards its class or the app gives it.
const PUBLIC_MARKS: [&str; 4] = ["@Public(", "@SkipAuth(", "@AllowAnonymous(", "@IsPublic("];
/// Guards that limit or shape requests without asking who sends them.
const NOT_LOGINS: [&str; 3] = ["throttl", "ratelimit", "cache"];

/// Whether the route declared at `index` is guarded by its class's or its method's own guards.
pub(super) fn nest_guarded(lines: &[&str], index: usize) -> bool {
    class_guarded(lines, index) || method_guarded(lines, index)
}

/// Whether the class the route declared at `index` belongs to asks for a login for all its
/// routes, and the route itself is not marked public.
fn class_guarded(lines: &[&str], index: usize) -> bool {
    let Some(class_at) = lines[..index].iter().rposition(|line| declares_class(line)) else {
        return false;
    };
    let class_decorators =
        lines[..class_at].iter().rev().take_while(|line| is_decoration(line)).any(|line| asks_for_login(line));
    class_decorators && !marked_public(lines, index)
}

fn declares_class(line: &str) -> bool {
    let code = line.trim_start();
    ["export class ", "class ", "export default class "].iter().any(|start| code.starts_with(start))
}

/// A decorator line above a class, or a line continuing one (`@Controller({`, `  path: 'x',`).
fn is_decoration(line: &str) -> bool {
    let code = line.trim_start();
    code.is_empty()
        || code.starts_with('@')
        || !code.starts_with("export") && !code.ends_with(';') && !code.ends_with('}')
}

fn asks_for_login(line: &str) -> bool {
    if line.trim_start().starts_with("@Authorized(") {
        return true;
    }
    let Some((_, guards)) = line.split_once("@UseGuards(") else {
        return false;
    };
    let lower = guards.to_ascii_lowercase();
    !NOT_LOGINS.iter().any(|name| lower.contains(name))
}

/// Whether the route's own decorators, around its declaration, mark it public.
fn marked_public(lines: &[&str], index: usize) -> bool {
    decorator_block(lines, index).any(|line| PUBLIC_MARKS.iter().any(|m| line.contains(m)))
}

/// Whether the method the route decorator at `index` sits on asks for a login in its own
/// decorators (`@UseGuards(JwtAuthGuard, RolesGuard)` three decorators below `@Get()`).
fn method_guarded(lines: &[&str], index: usize) -> bool {
    decorator_block(lines, index).any(|line| line.trim_start().starts_with("@UseGuards(") && asks_for_login(line))
}

/// The lines of the decorator block the line `index` belongs to: decorators at its depth and
/// the lines of their arguments (deeper, or closing at its depth with `})`), up to the previous
/// member's end above and the method's signature below.
fn decorator_block<'a>(lines: &'a [&'a str], index: usize) -> impl Iterator<Item = &'a str> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    let within = move |line: &&str| {
        let code = line.trim_start();
        code.is_empty()
            || code.starts_with("//")
            || indent(line) > own
            || indent(line) == own && (code.starts_with('@') || [')', ']'].iter().any(|c| code.starts_with(*c)))
            || indent(line) == own && code.starts_with("})")
    };
    let above = lines[..index].iter().rev().copied().take_while(within);
    let below = lines[index + 1..].iter().copied().take_while(within);
    above.chain(below).chain(std::iter::once(lines[index]))
}

/// The guard class the app registers for every route (`{ provide: APP_GUARD, useClass:
/// JwtAuthGuard }`, `app.useGlobalGuards(new JwtAuthGuard(...))`), when it asks for a login.
pub(super) fn app_guard(code: &[(&str, &str)]) -> Option<String> {
    code.iter().find_map(|(_, text)| {
        let registered = text.split_once("APP_GUARD").and_then(|(_, rest)| {
            let (_, class) = rest.split_once("useClass")?;
            Some(
                class
                    .trim_start_matches([':', ' '])
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()?
                    .to_string(),
            )
        });
        let global = text.split_once("useGlobalGuards(").map(|(_, rest)| {
            let rest = rest.trim_start().trim_start_matches("new ");
            rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default().to_string()
        });
        registered.or(global).filter(|class| !class.is_empty() && asks_for_login(&format!("@UseGuards({class})")))
    })
}

/// Marks every Nest route guarded when the app registers a login guard for all routes, but for
/// those their decorators mark public.
pub(super) fn mark_app_guarded(routes: &mut [super::routes::Route], code: &[(&str, &str)]) {
    if app_guard(code).is_none() {
        return;
    }
    for route in routes.iter_mut().filter(|route| !route.guarded) {
        let Some((file, line)) = route.at.rsplit_once(':') else { continue };
        let Some((_, text)) = code.iter().find(|(path, _)| *path == file) else { continue };
        if !text.contains("@Controller(") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        let index = line.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).filter(|i| *i < lines.len());
        route.guarded = index.is_some_and(|index| !marked_public(&lines, index));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded_at(text: &str, route: &str) -> bool {
        let lines: Vec<&str> = text.lines().collect();
        let index = lines.iter().position(|line| line.contains(route)).expect("route line");
        class_guarded(&lines, index)
    }

    #[test]
    fn a_guard_on_the_class_guards_its_routes() {
        let text =
            "@UseGuards(JwtGuard)\n@Controller('users')\nexport class UserController {\n  @Get('me')\n  me() {}\n}\n";
        assert!(guarded_at(text, "@Get('me')"));
    }

    #[test]
    fn routing_controllers_authorized_class_guards_its_actions() {
        let text = "@Authorized()\n@JsonController('/pets')\nexport class PetController {\n  @Get()\n  find() {}\n}\n";
        assert!(guarded_at(text, "@Get()"));
        let open = text.replace("@Authorized()\n", "");
        assert!(!guarded_at(&open, "@Get()"));
    }

    #[test]
    fn a_public_route_and_a_rate_limit_are_open() {
        let public = "@UseGuards(AuthGuard('jwt'))\n@Controller()\nexport class AppController {\n  @Public()\n  @Get('status')\n  status() {}\n}\n";
        assert!(!guarded_at(public, "@Get('status')"));
        let throttled = "@UseGuards(ThrottlerGuard)\n@Controller()\nexport class AppController {\n  @Get('status')\n  status() {}\n}\n";
        assert!(!guarded_at(throttled, "@Get('status')"));
        let open = "@Controller('users')\nexport class UserController {\n  @UseGuards(JwtGuard)\n  @Get('me')\n  me() {}\n  @Get('count')\n  count() {}\n}\n";
        assert!(!guarded_at(open, "@Get('count')"));
    }

    #[test]
    fn a_method_guard_below_multi_line_decorators_guards_it() {
        let text = "@Controller('users')\nexport class UserController {\n  @Get('me')\n  me() {}\n\n  @UseInterceptors(X)\n  @Get()\n  @ApiResponse({\n    status: 200,\n  })\n  @UseGuards(JwtAuthGuard, RolesGuard)\n  async list(\n    @Query() q: Q,\n  ) {}\n\n  @Get('count')\n  count() {}\n}\n";
        let lines: Vec<&str> = text.lines().collect();
        let at = |route: &str| lines.iter().position(|line| line.contains(route)).expect("route line");
        assert!(method_guarded(&lines, at("@Get()")));
        assert!(!method_guarded(&lines, at("@Get('count')")));
        assert!(!method_guarded(&lines, at("@Get('me')")));
    }

    #[test]
    fn an_app_guard_is_found_but_not_a_throttler() {
        let module = "providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }]";
        assert_eq!(app_guard(&[("app.module.ts", module)]).as_deref(), Some("JwtAuthGuard"));
        let throttle = "providers: [{\n provide: APP_GUARD,\n useClass: ThrottlerGuard }]";
        assert_eq!(app_guard(&[("app.module.ts", throttle)]), None);
        let main = "app.useGlobalGuards(new AuthGuard(reflector));";
        assert_eq!(app_guard(&[("main.ts", main)]).as_deref(), Some("AuthGuard"));
    }
}
