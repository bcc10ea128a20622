//! routing-controllers (`useExpressServer(app, { routePrefix, controllers })`) puts every
//! action of its `@JsonController` classes under the `routePrefix` it is given. A literal
//! prefix is joined to the class path; one the code computes (`env.app.routePrefix`) leaves the
//! full path unknown, so no route of such a class is offered as the one to check.

use super::mounts::{first_literal, join};

/// The package whose controllers this prefix applies to.
const PACKAGE: &str = "routing-controllers";

/// The path the controllers of the module `text` answer under: the class path alone for a
/// module that is no routing-controllers controller class, the class path under a literal
/// `routePrefix`, `None` when the code computes the prefix.
pub(super) fn full_prefix(text: &str, class_prefix: Option<String>, code: &[(&str, &str)]) -> Option<Option<String>> {
    // A module with no controller class (the loader that sets the server up) keeps its routes.
    let Some(class_path) = class_prefix.as_deref().filter(|_| text.contains(PACKAGE)) else {
        return Some(class_prefix);
    };
    let prefix = route_prefix(code)?;
    Some(Some(join(&prefix, class_path)))
}

/// The `routePrefix:` the server is set up with: `""` without one, `None` when computed.
fn route_prefix(code: &[(&str, &str)]) -> Option<String> {
    let value = code
        .iter()
        .filter(|(_, text)| text.contains(PACKAGE))
        .flat_map(|(_, text)| text.lines())
        .filter(|line| !super::comment_lines::commented(line))
        .find_map(|line| line.split_once("routePrefix:").map(|(_, value)| value.trim()));
    match value {
        None => Some(String::new()),
        Some(value) if value.starts_with(['\'', '"', '`']) && !value.contains("${") => first_literal(value),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_answer_under_the_route_prefix() {
        let controller = "import { JsonController } from 'routing-controllers'\n@JsonController('/pets')\n";
        let literal =
            "import { useExpressServer } from 'routing-controllers'\nuseExpressServer(app, { routePrefix: '/api' })\n";
        let computed = "import { useExpressServer } from 'routing-controllers'\nuseExpressServer(app, {\n  routePrefix: env.app.routePrefix,\n})\n";
        let pets = || Some("/pets".to_string());
        assert_eq!(full_prefix(controller, pets(), &[("a.ts", literal)]), Some(Some("/api/pets".into())));
        assert_eq!(full_prefix(controller, pets(), &[("a.ts", computed)]), None);
        assert_eq!(full_prefix(controller, pets(), &[("a.ts", "useExpressServer(app, {})")]), Some(pets()));
        assert_eq!(full_prefix("@Controller('users')", None, &[("a.ts", computed)]), Some(None));
    }
}
