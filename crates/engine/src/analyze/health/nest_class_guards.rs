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

/// The guard classes the app registers for every route (`{ provide: APP_GUARD, useClass:
/// JwtAuthGuard }`, `app.useGlobalGuards(new JwtAuthGuard(...))`) that ask for a login.
pub(super) fn app_guards(code: &[(&str, &str)]) -> Vec<String> {
    let name =
        |rest: &str| rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default().to_string();
    let mut guards = Vec::new();
    for (_, text) in code {
        for (at, found) in text.match_indices("APP_GUARD") {
            // The provider's own entry only: the next `provide:` is another provider's.
            let entry = text[at + found.len()..].split("provide").next().unwrap_or_default();
            if let Some((_, class)) = entry.split_once("useClass") {
                guards.push(name(class.trim_start_matches([':', ' '])));
            }
        }
        for (at, found) in text.match_indices("useGlobalGuards(") {
            guards.push(name(text[at + found.len()..].trim_start().trim_start_matches("new ")));
        }
    }
    guards.retain(|class| !class.is_empty() && asks_for_login(&format!("@UseGuards({class})")));
    guards.dedup();
    guards
}

/// Marks every Nest route guarded when the app registers a login guard for all routes, but for
/// those their decorators mark public. When every such guard lets routes without its metadata
/// through (a roles guard), only the routes carrying its decorator, or whose class does, are.
pub(super) fn mark_app_guarded(routes: &mut [super::routes::Route], code: &[(&str, &str)]) {
    let guards = app_guards(code);
    if guards.is_empty() {
        return;
    }
    let opt_in: Option<Vec<String>> = guards
        .iter()
        .map(|guard| super::nest_opt_in_guards::opt_in_decorators(code, guard))
        .collect::<Option<Vec<_>>>()
        .map(|all| all.concat());
    for route in routes.iter_mut().filter(|route| !route.guarded) {
        let Some((file, line)) = route.at.rsplit_once(':') else { continue };
        let Some((_, text)) = code.iter().find(|(path, _)| *path == file) else { continue };
        if !text.contains("@Controller(") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        let index = line.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).filter(|i| *i < lines.len());
        route.guarded = index.is_some_and(|index| match &opt_in {
            None => !marked_public(&lines, index),
            Some(decorators) => carries(&lines, index, decorators),
        });
    }
}

/// Whether the route at `index`, or the class it belongs to, carries one of `decorators`.
fn carries(lines: &[&str], index: usize, decorators: &[String]) -> bool {
    let names = |line: &str| decorators.iter().any(|name| line.contains(&format!("@{name}(")));
    let class_at = lines[..index].iter().rposition(|line| declares_class(line));
    let on_class =
        class_at.is_some_and(|at| lines[..at].iter().rev().take_while(|line| is_decoration(line)).any(|l| names(l)));
    on_class || decorator_block(lines, index).any(names)
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
        assert_eq!(app_guards(&[("app.module.ts", module)]), ["JwtAuthGuard"]);
        let throttle = "providers: [{\n provide: APP_GUARD,\n useClass: ThrottlerGuard }]";
        assert!(app_guards(&[("app.module.ts", throttle)]).is_empty());
        let main = "app.useGlobalGuards(new AuthGuard(reflector));";
        assert_eq!(app_guards(&[("main.ts", main)]), ["AuthGuard"]);
    }
}
