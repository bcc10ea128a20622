//! The language prefix Django's `i18n_patterns(...)` puts before its routes by default:
//! `LANGUAGE_CODE`, as settings write it (`en`, `en-us`), in lower case.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// The default language's prefix, when the code uses `i18n_patterns` and a settings module
/// gives `LANGUAGE_CODE` a literal; `None` when either is not in sight.
pub fn default_language_prefix(files: &AppFiles) -> Option<String> {
    let sources: Vec<&str> =
        files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)).map(|(_, text)| text).collect();
    if !sources.iter().any(|text| text.contains("i18n_patterns(")) {
        return None;
    }
    let value = sources.iter().flat_map(|text| text.lines()).find_map(|line| {
        let (name, value) = line.split_once('=')?;
        (name.trim() == "LANGUAGE_CODE").then(|| value.trim())
    })?;
    let code = value.strip_prefix(['"', '\''])?.split(['"', '\'']).next()?.to_ascii_lowercase();
    let plain = !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plain.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_literal_under_i18n_patterns() {
        let urls = ("site/urls.py", "urlpatterns = i18n_patterns(path('admin/', admin.site.urls))\n");
        let files = AppFiles::from_pairs([urls, ("site/settings.py", "LANGUAGE_CODE = 'de-CH'\n")]);
        assert_eq!(default_language_prefix(&files).as_deref(), Some("de-ch"));
        let computed = AppFiles::from_pairs([urls, ("site/settings.py", "LANGUAGE_CODE = env('LANG')\n")]);
        assert_eq!(default_language_prefix(&computed), None);
    }
}
