//! A Nest controller's guards given on the class (`@UseGuards(JwtGuard)` above `export class
//! UserController`) run before every route of it, whatever the method's own decorators say: a
//! load balancer's GET of such a route answers 401. A method marked public (`@Public()`,
//! `@SkipAuth()`) is the exception a guard reading that metadata lets through.
//! routing-controllers says the same with `@Authorized()` above a `@JsonController` class: its
//! `authorizationChecker` runs before every action of the class.

/// Decorators by which a method opts out of the guards its class or the app gives it.
const PUBLIC_MARKS: [&str; 4] = ["@Public(", "@SkipAuth(", "@AllowAnonymous(", "@IsPublic("];
/// Guards that limit or shape requests without asking who sends them.
const NOT_LOGINS: [&str; 3] = ["throttl", "ratelimit", "cache"];

/// Whether the class the route declared at `index` belongs to asks for a login for all its
/// routes, and the route itself is not marked public.
pub(super) fn class_guarded(lines: &[&str], index: usize) -> bool {
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
    let above = lines[..index].iter().rev().take_while(|line| line.trim_start().starts_with('@'));
    let below = lines[index + 1..].iter().take_while(|line| line.trim_start().starts_with('@'));
    above.chain(below).chain(std::iter::once(&lines[index])).any(|line| PUBLIC_MARKS.iter().any(|m| line.contains(m)))
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
}
