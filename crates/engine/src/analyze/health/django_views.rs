//! Whether a Django class-based view lets a visitor without a session in: its own
//! `permission_classes`, a login mixin among its bases, or Django REST framework's
//! project-wide `DEFAULT_PERMISSION_CLASSES` for an API view that sets none.

use std::collections::HashMap;

use crate::analyze::app_files::AppFiles;

/// Bases that make a view ask for a login.
const LOGIN_MIXINS: [&str; 3] = ["LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin"];
/// Bases of Django REST framework views, which the project-wide permissions govern.
const API_BASES: [&str; 5] = ["APIView", "ViewSet", "GenericAPIView", "viewsets.", "generics."];

/// The view classes of the project, read once.
pub(super) struct Views<'a> {
    classes: HashMap<&'a str, ViewClass<'a>>,
    /// DRF's default when the settings set one that is not `AllowAny`.
    api_needs_login: bool,
}

struct ViewClass<'a> {
    bases: &'a str,
    body: Vec<&'a str>,
}

impl<'a> Views<'a> {
    pub(super) fn read(files: &'a AppFiles) -> Views<'a> {
        let mut classes = HashMap::new();
        let mut api_needs_login = false;
        for (_, text) in files.with_extensions(&["py"]) {
            let lines: Vec<&str> = text.lines().collect();
            for (index, line) in lines.iter().enumerate() {
                if line.contains("DEFAULT_PERMISSION_CLASSES") {
                    let setting: String = lines[index..].iter().take(4).copied().collect();
                    api_needs_login |= !setting.contains("AllowAny");
                }
                let Some(rest) = line.strip_prefix("class ") else { continue };
                let Some((name, bases)) = rest.split_once('(') else { continue };
                let body = lines[index + 1..]
                    .iter()
                    .copied()
                    .take_while(|l| l.is_empty() || l.starts_with([' ', '\t']))
                    .collect();
                classes.insert(name.trim(), ViewClass { bases, body });
            }
        }
        Views { classes, api_needs_login }
    }

    /// `Some(true)` when the view `name` turns a visitor without a session away, `Some(false)`
    /// when it lets one in, `None` when the class is not in the code.
    pub(super) fn needs_login(&self, name: &str) -> Option<bool> {
        let class = self.classes.get(name)?;
        let permissions = class.body.iter().find(|line| line.trim_start().starts_with("permission_classes"));
        if let Some(permissions) = permissions {
            return Some(!permissions.contains("AllowAny"));
        }
        if LOGIN_MIXINS.iter().any(|mixin| class.bases.contains(mixin)) {
            return Some(true);
        }
        Some(self.api_needs_login && API_BASES.iter().any(|base| class.bases.contains(base)))
    }
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
    }
}
