//! Precision classes found by reading ferry's findings against a Go admin server with its
//! settings in YAML: the settings file its image's command names is the one it loads, an
//! `addr:` that holds only a number is the listen port, a database's port filled in a DSN
//! function is not the server's, committed stand-ins (`your-secret-key`, `true # a flag`) are
//! no secrets, and an SQLite driver beside a database server's driver is one choice of two.

use crate::app_fixtures::{findings, profile_of_files as analyze_folder};

const GO_MOD: &str = "module example.com/server\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/glebarez/sqlite v1.11.0\n\tgorm.io/driver/mysql v1.5.7\n\tgithub.com/spf13/viper v1.19.0\n)\n";

const MAIN: &str = "package main\n\nimport (\n\t\"flag\"\n\t\"fmt\"\n\n\t\"github.com/gin-gonic/gin\"\n\t\"github.com/spf13/viper\"\n)\n\nvar Settings struct{ System struct{ Addr int } }\n\nfunc main() {\n\tvar path string\n\tflag.StringVar(&path, \"c\", \"\", \"the settings file\")\n\tflag.Parse()\n\tv := viper.New()\n\tv.SetConfigFile(path)\n\t_ = v.ReadInConfig()\n\t_ = v.Unmarshal(&Settings)\n\tr := gin.New()\n\tr.GET(\"/health\", func(c *gin.Context) { c.String(200, \"ok\") })\n\t_ = r.Run(fmt.Sprintf(\":%d\", Settings.System.Addr))\n}\n";

/// The setup form's MySQL DSN: a port the form leaves empty becomes the database's.
const DSN: &str = "package request\n\nimport \"fmt\"\n\ntype InitDB struct{ Host, Port, UserName, Password string }\n\nfunc (i *InitDB) MysqlEmptyDsn() string {\n\tif i.Host == \"\" {\n\t\ti.Host = \"127.0.0.1\"\n\t}\n\tif i.Port == \"\" {\n\t\ti.Port = \"3306\"\n\t}\n\treturn fmt.Sprintf(\"%s:%s@tcp(%s:%s)/\", i.UserName, i.Password, i.Host, i.Port)\n}\n";

const DOCKER_SETTINGS: &str = "jwt:\n    signing-key: qmPlus\n    expires-time: 7d\nzap:\n    stacktrace-key: stacktrace\nsystem:  # the server\n    addr: 8888\n    db-type: mysql\n    use-strict-auth: false\naws-s3:\n    secret-id: your-secret-id\n    secret-key: your-secret-key\ncors:\n    whitelist:\n        - allow-origin: example.com\n          allow-credentials: true # a flag\n";

fn admin(dockerfile: &str) -> ferry::model::AppProfile {
    analyze_folder(&[
        ("go.mod", GO_MOD),
        ("main.go", MAIN),
        ("model/request/init.go", DSN),
        ("config.yaml", "system:\n    addr: 9999\n"),
        ("config.docker.yaml", DOCKER_SETTINGS),
        ("Dockerfile", dockerfile),
    ])
}

/// The image starts `./server -c config.docker.yaml`: that file is loaded, copied beside the
/// binary, and its `system.addr: 8888` is the port, not the MySQL default in the DSN builder.
#[test]
fn the_settings_file_the_image_names_gives_the_port_and_is_copied() {
    let app = admin(
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nENTRYPOINT ./server -c config.docker.yaml\n",
    );
    assert!(
        app.start_command.ends_with(&["-c".to_string(), "config.docker.yaml".to_string()]),
        "{:?}",
        app.start_command
    );
    assert_eq!(app.port, 8888, "{}", app.port_source);
    assert_eq!(app.port_source, "config.docker.yaml:7");
    assert!(app.runtime_files.contains(&"config.docker.yaml".to_string()), "{:?}", app.runtime_files);
}

/// Only the JWT key is a committed secret: a log field's name, flags (one with a `# comment`)
/// and `your-...` blanks are not.
#[test]
fn committed_stand_ins_are_no_secrets() {
    let app = admin(
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nENTRYPOINT [\"./server\", \"-c\", \"config.docker.yaml\"]\n",
    );
    let secrets: Vec<&str> = findings(&app, "secret-default").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(secrets, ["config.docker.yaml:2"], "{:?}", app.findings);
}

/// With no settings file or listen address to go on, a number in a DSN function is not taken
/// as the port.
#[test]
fn a_database_port_filled_in_a_dsn_function_is_not_the_servers() {
    let app = analyze_folder(&[
        ("go.mod", GO_MOD),
        (
            "main.go",
            "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tr := gin.New()\n\t_ = r.Run(address())\n}\n",
        ),
        ("model/request/init.go", DSN),
    ]);
    assert_ne!(app.port, 3306, "{}", app.port_source);
    assert!(!app.port_source.contains("init.go"), "{}", app.port_source);
}

/// A number only a variable's name calls a port gives way to the port the image declares.
#[test]
fn the_images_port_beats_a_number_named_port() {
    let app = analyze_folder(&[
        ("go.mod", GO_MOD),
        (
            "main.go",
            "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tport := 9000\n\tr := gin.New()\n\t_ = r.Run(address(port))\n}\n",
        ),
        ("Dockerfile", "FROM golang:1.22\nEXPOSE 8888\n"),
    ]);
    assert_eq!(app.port, 8888, "{}", app.port_source);
}

/// The app requires MySQL's driver and SQLite's: a setting picks one, so SQLite is a warning
/// with a fix, not a blocker; alone, it stays a blocker.
#[test]
fn sqlite_beside_a_database_servers_driver_is_one_choice() {
    let app = admin("FROM golang:1.22\nEXPOSE 8888\n");
    let sqlite = findings(&app, "sqlite");
    assert_eq!(sqlite.len(), 1, "{:?}", app.findings);
    assert_eq!(sqlite[0].level, ferry::model::FindingLevel::Warning);
    assert!(sqlite[0].message.contains("gorm.io/driver/mysql"), "{}", sqlite[0].message);
    let alone = analyze_folder(&[
        ("go.mod", "module example.com/notes\n\ngo 1.22\n\nrequire github.com/glebarez/sqlite v1.11.0\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"github.com/glebarez/sqlite\"\n)\n\nfunc main() { _ = http.ListenAndServe(\":8080\", nil) }\n",
        ),
    ]);
    assert_eq!(findings(&alone, "sqlite")[0].level, ferry::model::FindingLevel::Blocker);
}

/// The server listens on `HTTP_PORT`, which has no default and which nothing sets: the service
/// sets it to the port the image declares, and says so.
#[test]
fn a_listen_setting_without_a_default_is_set_to_the_service_port() {
    let app = analyze_folder(&[
        (
            "package.json",
            "{\"name\": \"api\", \"scripts\": {\"start\": \"node main.js\"}, \"dependencies\": {\"express\": \"^4.19.0\"}}",
        ),
        (
            "main.js",
            "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.HTTP_PORT);\n",
        ),
        ("Dockerfile", "FROM node:20\nEXPOSE 3000\nCMD [\"node\", \"main.js\"]\n"),
    ]);
    assert_eq!(app.port, 3000, "{}", app.port_source);
    let set = app.env.iter().find(|e| e.name == "HTTP_PORT").expect("HTTP_PORT on the service");
    assert_eq!(set.value.as_deref(), Some("3000"));
    assert_eq!(findings(&app, "port-setting").len(), 1, "{:?}", app.findings);
}

/// A Flask settings class fills its secret key with a random one as the module loads: each task
/// signs sessions with its own.
#[test]
fn a_settings_class_key_made_at_import_is_per_process() {
    let app = analyze_folder(&[
        ("requirements.txt", "flask==3.0.0\ngunicorn==22.0.0\n"),
        (
            "settings.py",
            "import secrets\n\n\nclass Settings:\n    APP_NAME = \"blog\"\n    APP_SECRET_KEY = secrets.token_urlsafe(32)\n",
        ),
        (
            "app.py",
            "from flask import Flask\nfrom settings import Settings\n\napp = Flask(__name__)\napp.secret_key = Settings.APP_SECRET_KEY\n\n\n@app.route(\"/health\")\ndef health():\n    return \"ok\"\n",
        ),
    ]);
    let per_process = findings(&app, "per-process-secret");
    assert_eq!(per_process.len(), 1, "{:?}", app.findings);
    assert_eq!(per_process[0].source, "settings.py:6");
}
