//! Whether a Django class-based view lets a visitor without a session in: its own
//! `permission_classes`, a login mixin among its bases, or Django REST framework's
//! project-wide `DEFAULT_PERMISSION_CLASSES` for an API view that sets none; and whether a
//! function view sends a visitor without a session elsewhere (`if not
//! request.user.is_authenticated: return HttpResponseRedirect(...)`) or is decorated with a
//! login check (`@login_required`, `@method_decorator(permission_required(...), ...)`).

use std::collections::HashMap;

use crate::analyze::app_files::AppFiles;

/// Bases that make a view ask for a login.
const LOGIN_MIXINS: [&str; 3] = ["LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin"];
/// Decorators that send a visitor without a session (or the right permission) to the login.
const LOGIN_DECORATORS: [&str; 5] =
    ["login_required", "permission_required", "staff_member_required", "superuser_required", "user_passes_test"];
/// Bases of Django REST framework views, which the project-wide permissions govern.
const API_BASES: [&str; 5] = ["APIView", "ViewSet", "GenericAPIView", "viewsets.", "generics."];

/// The view classes of the project, read once.
pub(super) struct Views<'a> {
    classes: HashMap<&'a str, ViewClass<'a>>,
    /// Function views by name, with whether a visitor without a session is redirected.
    functions: HashMap<&'a str, bool>,
    /// DRF's default when the settings set one that is not `AllowAny`.
    api_needs_login: bool,
}

struct ViewClass<'a> {
    bases: &'a str,
    body: Vec<&'a str>,
    /// A login decorator stands above the class (`@method_decorator(login_required, ...)`).
    decorated: bool,
}

impl<'a> Views<'a> {
    pub(super) fn read(files: &'a AppFiles) -> Views<'a> {
        let mut classes = HashMap::new();
        let mut functions = HashMap::new();
        let mut api_needs_login = false;
        for (_, text) in files.with_extensions(&["py"]) {
            let lines: Vec<&str> = text.lines().collect();
            for (index, line) in lines.iter().enumerate() {
                if line.contains("DEFAULT_PERMISSION_CLASSES") {
                    let setting: String = lines[index..].iter().take(4).copied().collect();
                    api_needs_login |= !setting.contains("AllowAny");
                }
                if let Some((name, redirects)) = function_view(&lines, index) {
                    functions.insert(name, redirects);
                }
                let Some(rest) = line.strip_prefix("class ") else { continue };
                let Some((name, bases)) = rest.split_once('(') else { continue };
                let body = lines[index + 1..]
                    .iter()
                    .copied()
                    .take_while(|l| l.is_empty() || l.starts_with([' ', '\t']))
                    .collect();
                classes.insert(name.trim(), ViewClass { bases, body, decorated: login_decorated(&lines, index) });
            }
        }
        Views { classes, functions, api_needs_login }
    }

    /// `Some(true)` when the view `name` turns a visitor without a session away, `Some(false)`
    /// when it lets one in, `None` when the class is not in the code.
    pub(super) fn needs_login(&self, name: &str) -> Option<bool> {
        let Some(class) = self.classes.get(name) else { return self.functions.get(name).copied() };
        let permissions = class.body.iter().find(|line| line.trim_start().starts_with("permission_classes"));
        if let Some(permissions) = permissions {
            return Some(!permissions.contains("AllowAny"));
        }
        if class.decorated || LOGIN_MIXINS.iter().any(|mixin| class.bases.contains(mixin)) {
            return Some(true);
        }
        Some(self.api_needs_login && API_BASES.iter().any(|base| class.bases.contains(base)))
    }
}

/// A top-level `def name(request, ...)` at `index`: its name, and whether its body redirects a
/// visitor it finds without a session (to a login or a setup page).
fn function_view<'a>(lines: &[&'a str], index: usize) -> Option<(&'a str, bool)> {
    let rest = lines[index].strip_prefix("def ")?;
    let (name, parameters) = rest.split_once('(')?;
    if !parameters.trim_start().starts_with("request") {
        return None;
    }
    let body: Vec<&str> =
        lines[index + 1..].iter().copied().take_while(|l| l.is_empty() || l.starts_with([' ', '\t'])).collect();
    let asks = body.iter().any(|l| l.contains("is_authenticated") || l.contains("is_anonymous"));
    let redirects = body.iter().any(|l| l.contains("Redirect(") || l.contains("redirect("));
    Some((name.trim(), (asks && redirects) || login_decorated(lines, index)))
}

/// Whether the decorators right above the `def` or `class` at `index` include a login check;
/// a decorator's arguments may span lines.
fn login_decorated(lines: &[&str], index: usize) -> bool {
    let above = lines[..index].iter().rev().take(8);
    let run: Vec<&&str> = above
        .take_while(|l| {
            let code = l.trim_start();
            code.starts_with('@') || l.starts_with([' ', '\t', ')']) && !code.is_empty()
        })
        .collect();
    // Indented lines above the topmost decorator are the previous block's body.
    let Some(top) = run.iter().rposition(|l| l.trim_start().starts_with('@')) else { return false };
    run[..=top].iter().any(|l| LOGIN_DECORATORS.iter().any(|d| l.contains(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_permissions_then_mixins_then_the_api_default() {
        let files = AppFiles::from_pairs([
            ("settings.py", "REST_FRAMEWORK = {\n    'DEFAULT_PERMISSION_CLASSES': ('app.Perm',),\n}\n"),
            (
                "views.py",
                "class Version(viewsets.ViewSet):\n    permission_classes = (AllowAny,)\nclass Status(PassUserMixin):\n    permission_classes = (IsAuthenticated,)\nclass Home(LoginRequiredMixin, TemplateView):\n    pass\nclass Items(APIView):\n    pass\nclass About(TemplateView):\n    pass\n",
            ),
        ]);
        let views = Views::read(&files);
        let asked: Vec<Option<bool>> =
            ["Version", "Status", "Home", "Items", "About", "Missing"].iter().map(|v| views.needs_login(v)).collect();
        assert_eq!(asked, [Some(false), Some(true), Some(true), Some(true), Some(false), None]);
        let functions = AppFiles::from_pairs([(
            "views.py",
            "def index(request):\n    if not request.user.is_authenticated:\n        return HttpResponseRedirect(reverse('account_login'))\n    return render(request, 'app.html')\n\n\ndef ping(request):\n    return HttpResponse('pong')\n",
        )]);
        let views = Views::read(&functions);
        assert_eq!([views.needs_login("index"), views.needs_login("ping")], [Some(true), Some(false)]);
        let decorated = AppFiles::from_pairs([(
            "views.py",
            "@login_required\n@require_GET\ndef status(request):\n    return HttpResponse()\n\n\n@method_decorator(\n    permission_required(\"app.view\"), name=\"dispatch\"\n)\nclass Board(View):\n    pass\n\n\n@require_GET\ndef ping(request):\n    return HttpResponse()\n",
        )]);
        let views = Views::read(&decorated);
        let asked = ["status", "Board", "ping"].map(|v| views.needs_login(v));
        assert_eq!(asked, [Some(true), Some(true), Some(false)]);
    }
}
