//! Words that name an action a request performs (moderate a comment, approve it, unsubscribe an
//! address): a route named so answers the one request it expects, not a load balancer's
//! check. Read from a path (`/api/email/moderate`) or a handler's name (`emailModerateHandler`,
//! `approve_comment`), split into words.

/// Verbs of actions, matched as whole words or their forms (see `is_form_of`).
const ACTIONS: [&str; 22] = [
    "moderate",
    "approve",
    "reject",
    "unsubscribe",
    "subscribe",
    "delete",
    "remove",
    "verify",
    "confirm",
    "reset",
    "forgot",
    "callback",
    "webhook",
    "hook",
    "import",
    "upload",
    "vote",
    "logout",
    "signup",
    "register",
    "redirect",
    "ban",
];

/// Whether `text` (a path, or a declaration line naming its handler) holds an action word.
pub(super) fn names_action(text: &str) -> bool {
    words(text).iter().any(|word| ACTIONS.iter().any(|action| is_form_of(word, action)))
}

/// Whether `word` is `action` or one of its forms: `approves`, `approved`, `approving` (an
/// e-ending verb drops its e), `banned`, `banning` (a short verb doubles its last letter).
fn is_form_of(word: &str, action: &str) -> bool {
    let stem = action.strip_suffix('e').unwrap_or(action);
    let doubled = format!("{action}{}", action.chars().last().unwrap_or_default());
    let forms = [
        action.to_string(),
        format!("{action}s"),
        format!("{stem}ed"),
        format!("{stem}ing"),
        format!("{doubled}ed"),
        format!("{doubled}ing"),
    ];
    forms.iter().any(|form| form == word)
}

/// `emailModerateHandler` → `email`, `moderate`, `handler`; `/api/email-moderate` →
/// `api`, `email`, `moderate`.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && previous_lower);
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if c.is_ascii_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_words_in_paths_and_handler_names() {
        assert!(names_action("/api/email/moderate"));
        assert!(names_action("router.HandleFunc(\"/api/x\", commentApproveHandler)"));
        assert!(names_action("/unsubscribe"));
        assert!(!names_action("/api/tags"));
        assert!(!names_action("/api/commenter/photo"));
        // Words are whole: `banner` names no ban, `hooks` is still a hook.
        assert!(!names_action("/api/banner"));
        assert!(names_action("/api/hooks"));
        assert!(names_action("/comments/moderating") && names_action("/approved") && names_action("/banned"));
        assert!(!names_action("/api/band"), "a band is no ban");
    }
}
