//! Precision classes found by reading ferry's findings against the code of earlier rounds'
//! Go and Java apps: a Go server's reads of folders it fills itself are no committed files to
//! embed, the committed folders it reads are copied into the image, and a Spring Boot app whose
//! settings name a port under 1024 is moved to 8080 by a system property; and a Next.js app that
//! invalidates its cache on demand with no shared cache handler.

use crate::app_fixtures::{findings, profile_of_files as analyze_folder};

/// A gin server serves exports and QR codes it writes under a folder from its settings, and
/// its templates from a committed folder: the first are not files to embed (nothing is said),
/// the templates are copied beside the binary, said as an info.
#[test]
fn a_go_server_copies_the_folders_it_reads_and_says_nothing_of_those_it_fills() {
    let main = "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gin-gonic/gin\"\n)\n\nfunc exportDir() string { return settings.Root + \"export/\" }\n\nfunc main() {\n\tr := gin.New()\n\tr.LoadHTMLGlob(\"web/templates/*.tmpl\")\n\tr.StaticFS(\"/export\", http.Dir(exportDir()))\n\tr.StaticFS(\"/qrcode\", http.Dir(\"runtime/qrcode/\"))\n\tr.GET(\"/healthz\", func(c *gin.Context) { c.String(200, \"ok\") })\n\tr.Run(\":8000\")\n}\n";
    let app = analyze_folder(&[
        ("go.mod", "module example.com/shop\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n"),
        ("main.go", main),
        ("web/templates/index.tmpl", "<p>{{ .Name }}</p>\n"),
    ]);
    let reads = findings(&app, "files-at-runtime");
    assert_eq!(reads.len(), 1, "{:?}", app.findings);
    assert_eq!(reads[0].level, ferry::model::FindingLevel::Info);
    assert!(reads[0].message.contains("web/templates"), "{}", reads[0].message);
    assert_eq!(reads[0].source, "main.go:13");
    // The Dockerfile copies every runtime file beside the binary (its own tests check the line).
    assert_eq!(app.runtime_files, ["web/templates"]);
}

/// `server.port: 80` in application.yml: the image's user cannot bind it, so the command sets
/// `-Dserver.port=8080`, which Spring Boot takes over its settings, and the service follows.
#[test]
fn a_spring_port_under_1024_moves_to_8080_by_a_system_property() {
    let pom = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.2.5</version>\n  </parent>\n  <groupId>com.example</groupId>\n  <artifactId>shop</artifactId>\n  <version>1.0.0</version>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n";
    let controller = "package com.example.shop;\n\nimport org.springframework.web.bind.annotation.*;\n\n@RestController\npublic class PingController {\n    @GetMapping(\"/ping\")\n    public String ping() { return \"pong\"; }\n}\n";
    let app = analyze_folder(&[
        ("pom.xml", pom),
        ("src/main/resources/application.yml", "server:\n  port: 80\n"),
        ("src/main/java/com/example/shop/PingController.java", controller),
    ]);
    assert_eq!(app.port, 8080);
    assert!(app.start_command.contains(&"-Dserver.port=8080".to_string()), "{:?}", app.start_command);
    assert_eq!(findings(&app, "port-moved").len(), 1, "{:?}", app.findings);
    assert!(findings(&app, "low-port").is_empty(), "{:?}", app.findings);
}

/// A Next.js webhook route revalidates a tag, and next.config's shared cache handler is commented
/// out: each task keeps its own cache, so the call clears only one, said as a warning at the call.
#[test]
fn a_next_app_that_revalidates_without_a_shared_cache_handler() {
    let route = "import { revalidateTag } from 'next/cache';\n\nexport async function POST() {\n  revalidateTag('products');\n  return Response.json({ ok: true });\n}\n";
    let app = analyze_folder(&[
        (
            "package.json",
            r#"{"name":"shop","scripts":{"build":"next build","start":"next start"},"dependencies":{"next":"15.1.0","react":"19.0.0","react-dom":"19.0.0"}}"#,
        ),
        ("next.config.js", "module.exports = {\n  // cacheHandler: require.resolve('./cache-handler.js'),\n};\n"),
        ("app/api/revalidate/route.ts", route),
        ("app/page.tsx", "export default function Page() {\n  return <p>shop</p>;\n}\n"),
    ]);
    let caches = findings(&app, "in-memory-cache");
    assert_eq!(caches.len(), 1, "{:?}", app.findings);
    assert_eq!(caches[0].level, ferry::model::FindingLevel::Warning);
    assert_eq!(caches[0].source, "app/api/revalidate/route.ts:4");
}
