//! A Nest guard that reads its route metadata and lets a route without it through
//! (`const roles = this.reflector.getAllAndOverride(ROLES_KEY, [...]); if (!roles) return
//! true;`) guards only the routes that carry the decorator setting that metadata
//! (`@Roles(Role.Admin)`): registered for the whole app, it leaves every other route open.

/// The decorators whose routes the guard class `guard` turns away, when the guard lets every
/// route without their metadata through; `None` when it guards every route or ferry cannot
/// tell which decorators set the metadata it reads.
pub(super) fn opt_in_decorators(code: &[(&str, &str)], guard: &str) -> Option<Vec<String>> {
    let (_, text) = code.iter().find(|(_, text)| declares_class(text, guard))?;
    let lines: Vec<&str> = text.lines().collect();
    let (at, variable, key) = lines.iter().enumerate().find_map(|(at, line)| {
        let (variable, key) = metadata_read(line)?;
        Some((at, variable, key))
    })?;
    if !passes_when_absent(&lines[at + 1..], &variable) {
        return None;
    }
    let decorators = setters_of(code, &key);
    (!decorators.is_empty()).then_some(decorators)
}

fn declares_class(text: &str, guard: &str) -> bool {
    text.match_indices(&format!("class {guard}"))
        .any(|(at, found)| !text[at + found.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// The variable a line assigns the metadata to and the metadata's key:
/// `const roles = this.reflector.get<string[]>('roles', context.getHandler())`.
fn metadata_read(line: &str) -> Option<(String, String)> {
    let (before, call) = line.split_once("reflector.get")?;
    let (assigned, _) = before.split_once('=')?;
    let variable = assigned.trim().rsplit(' ').next()?.trim_end_matches(|c: char| c == ':' || c.is_whitespace());
    let (_, arguments) = call.split_once('(')?;
    let key = arguments.split([',', ')']).next()?.trim();
    let is_name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    (is_name(variable) && !key.is_empty()).then(|| (variable.to_string(), key.to_string()))
}

/// Whether the lines after the read return `true` when the metadata is absent
/// (`if (!roles) { return true; }`, `if (!roles || roles.length === 0) return true;`).
fn passes_when_absent(after: &[&str], variable: &str) -> bool {
    let test = format!("if (!{variable}");
    let Some(at) = after.iter().take(6).position(|line| {
        line.split_once(&test)
            .is_some_and(|(_, rest)| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.'))
    }) else {
        return false;
    };
    after[at..].iter().take(3).any(|line| line.contains("return true"))
}

/// The decorators that set the metadata `key`: `export const Roles = (...roles) =>
/// SetMetadata(ROLES_KEY, roles)`, a function returning it, or a key that is itself a decorator
/// (`export const Roles = Reflector.createDecorator<string[]>()`).
fn setters_of(code: &[(&str, &str)], key: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (_, text) in code {
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let sets = line.split_once("SetMetadata(").is_some_and(|(_, rest)| rest.trim_start().starts_with(key));
            let created = line.contains(&format!("const {key} = Reflector.createDecorator"));
            if !(sets || created) {
                continue;
            }
            let declared = lines[at.saturating_sub(3)..=at].iter().rev().find_map(|line| declared_name(line));
            names.extend(declared.filter(|name| !name.is_empty()));
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The name a line declares as a decorator: `const Roles =`, `function Roles(`.
fn declared_name(line: &str) -> Option<String> {
    let rest = ["const ", "function "].iter().find_map(|start| line.split_once(start).map(|(_, rest)| rest))?;
    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUARD: &str = "@Injectable()\nexport class RoleGate implements CanActivate {\n  canActivate(context: ExecutionContext): boolean {\n    const needed = this.reflector.getAllAndOverride<Kind[]>(KINDS_KEY, [\n      context.getHandler(),\n    ]);\n    if (!needed) {\n      return true;\n    }\n    return needed.includes(context.switchToHttp().getRequest().user?.kind);\n  }\n}\n";
    const DECORATOR: &str = "export const KINDS_KEY = 'kinds';\nexport const Kinds = (...kinds: Kind[]) => SetMetadata(KINDS_KEY, kinds);\n";

    #[test]
    fn a_guard_that_passes_routes_without_its_metadata_guards_only_its_decorator() {
        let code = [("role-gate.guard.ts", GUARD), ("kinds.decorator.ts", DECORATOR)];
        assert_eq!(opt_in_decorators(&code, "RoleGate"), Some(vec!["Kinds".to_string()]));
    }

    #[test]
    fn a_guard_that_passes_only_public_routes_guards_every_route() {
        let public = GUARD.replace("if (!needed)", "if (needed)");
        let code = [("role-gate.guard.ts", public.as_str()), ("kinds.decorator.ts", DECORATOR)];
        assert_eq!(opt_in_decorators(&code, "RoleGate"), None);
        let unknown = [("role-gate.guard.ts", GUARD)];
        assert_eq!(opt_in_decorators(&unknown, "RoleGate"), None, "no decorator sets the metadata it reads");
    }
}
