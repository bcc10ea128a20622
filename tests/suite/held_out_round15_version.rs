//! Round 15: a README's stated runtime version, when nothing the build reads states one
//! (N-blog's `- Node.js: 8.9.1`).

use crate::app_fixtures::profile as fixture;

#[test]
fn a_readme_states_the_node_release() {
    let profile = fixture("express-readme-version");
    let runtime = profile.runtime.expect("node");
    assert_eq!(runtime.version, "16");
    assert_eq!(runtime.source, "README.md:7 (the README's stated requirement)");
}

#[test]
fn a_readme_states_the_python_release() {
    let profile = fixture("flask-readme-version");
    let runtime = profile.runtime.expect("python");
    assert_eq!(runtime.version, "3.9");
    assert_eq!(runtime.source, "README.md:3 (the README's stated requirement)");
}
