//! The Go and Java failure classes of held-out round 10, each reproduced in a fixture of its
//! own (tests/fixtures/apps): a server one folder below a root that holds none, environment
//! names a config library derives from command-line flags, sessions kept in process memory, a
//! route registered only when a setting is on, and an upload folder in a Java constant.

use crate::app_fixtures::{findings, profile as fixture};

/// The root keeps a Dockerfile that copies a prebuilt binary and a Vite front end in `web/`;
/// the server is `server/go.mod`. It is analysed there, and the finding says so.
#[test]
fn a_go_server_one_folder_down() {
    let app = fixture("go-server-in-subfolder");
    let runtime = app.runtime.as_ref().expect("go is found in server/");
    assert_eq!((runtime.name.as_str(), runtime.version.as_str()), ("go", "1.23"));
    assert_eq!(app.start_command, ["/app/reader"]);
    assert_eq!(app.port, 7300, "{}", app.port_source);
    for kind in ["no-runtime", "no-start-command", "port-unknown"] {
        assert!(findings(&app, kind).is_empty(), "{kind}: {:?}", findings(&app, kind));
    }
    let said = findings(&app, "server-in-subfolder");
    assert!(said.len() == 1 && said[0].source == "server/go.mod", "{said:?}");
}
