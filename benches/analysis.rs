//! Analysing a large source folder: a Node.js app of 2,000 files (the most ferry reads) of 200
//! lines each, with config schemas, sessions and environment reads spread through it, and a
//! Python app of the same size, and an Express app whose 2,000 routers (20 routes each) are
//! mounted under prefixes, for the health route search, and a small app beside a vendored
//! bundle of 250 KB (the biggest file ferry reads), where a search per line that looked at
//! the whole file again grew with the square of its size, and a Django project of 700 modules
//! that import each other under a settings package of a thousand lines, where a question asked
//! of every module about every line of every other module grew with the square of the app.
//! Run with `cargo bench --bench analysis`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ferry::analyze::{AppFiles, analyze_folder};

const FILES: usize = 2000;
const LINES: usize = 200;

fn node_app() -> AppFiles {
    let mut files: Vec<(String, String)> = vec![
        ("package.json".into(), r#"{"scripts":{"start":"npm run build && node dist/server.js","build":"tsc"},"dependencies":{"express":"^4","express-session":"^1","joi":"^17"}}"#.into()),
        ("package-lock.json".into(), "{}".into()),
    ];
    for n in 0..FILES {
        let mut text = String::from("const Joi = require('joi');\nconst session = require('express-session');\n");
        for line in 0..LINES {
            text.push_str(&match line % 10 {
                0 => format!("const v{line} = process.env.SETTING_{n}_{line} || 'default';\n"),
                1 => format!("  NAME_{line}: Joi.string().default('x'),\n"),
                2 => "app.use(session({ secret: process.env.SESSION_SECRET }));\n".to_string(),
                _ => format!("function f{line}(a, b) {{ return a + b + {line}; }}\n"),
            });
        }
        files.push((format!("src/module{n}.js"), text));
    }
    AppFiles::from_pairs(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

fn python_app() -> AppFiles {
    let mut files: Vec<(String, String)> =
        vec![("requirements.txt".into(), "flask\ngunicorn\ndjango-environ\n".into())];
    for n in 0..FILES {
        let mut text = String::from("import os\nimport environ\nenv = environ.Env()\n");
        for line in 0..LINES {
            text.push_str(&match line % 10 {
                0 => format!("V{line} = os.environ.get('SETTING_{n}_{line}') or 'x'\n"),
                1 => format!("W{line} = env.bool('FLAG_{line}', default=False)\n"),
                _ => format!("def f{line}(a, b):\n    return a + b + {line}\n"),
            });
        }
        files.push((format!("app/module{n}.py"), text));
    }
    AppFiles::from_pairs(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

/// Shaped like a large Django project: a settings package (base, production importing base,
/// a mode-selected extra module), and modules that import one another, hold classes and
/// assignments, and read the environment at import.
fn django_app() -> AppFiles {
    const MODULES: usize = 700;
    let mut base = String::from(
        "import os\nimport environ\nenv = environ.Env()\nROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['app']\n",
    );
    for n in 0..1000 {
        base.push_str(&format!("SETTING_{n} = env('SETTING_{n}', default='x{n}')\n"));
    }
    base.push_str("DATABASES = {'default': env.db('DATABASE_URL', default='sqlite:///db.sqlite3')}\n");
    let production = "from .base import *\nMODE = os.environ.get('MODE', 'web')\nif MODE == 'worker':\n    from .worker_extra import *\n";
    let mut files: Vec<(String, String)> = vec![
        ("requirements.txt".into(), "django\ngunicorn\ndjango-environ\n".into()),
        (
            "manage.py".into(),
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings.production')\n".into(),
        ),
        ("site/settings/base.py".into(), base),
        ("site/settings/production.py".into(), production.into()),
        ("site/settings/worker_extra.py".into(), "import os\nQUEUE = os.environ['QUEUE_URL']\n".into()),
    ];
    for n in 0..MODULES {
        let mut text = format!(
            "import os\nfrom app.module{} import helper\nfrom . import module{}\n",
            n.saturating_sub(1),
            (n + 7) % MODULES
        );
        for line in 0..LINES / 4 {
            text.push_str(&match line % 5 {
                0 => format!("LIMIT_{line} = int(os.environ.get('LIMIT_{n}_{line}', '{line}'))\n"),
                1 => format!("class Model{line}(object):\n    name = 'model{line}'\n    size = {line}\n"),
                2 => format!("    def method{line}(self, value):\n        return self.call(\n            value,\n            {line},\n        )\n"),
                3 => format!("path_{line} = '/data/{n}/{line}'\n"),
                _ => format!("def helper{line}(a):\n    return a + {line}\n"),
            });
        }
        files.push((format!("app/module{n}.py"), text));
    }
    AppFiles::from_pairs(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

fn routed_app() -> AppFiles {
    let mut files: Vec<(String, String)> = vec![
        ("package.json".into(), r#"{"scripts":{"start":"node src/index.js"},"dependencies":{"express":"^4"}}"#.into()),
        ("package-lock.json".into(), "{}".into()),
    ];
    let mut index = String::from("const express = require('express');\nconst app = express();\n");
    for n in 0..FILES - 1 {
        index.push_str(&format!("app.use('/area{n}', require('./routes/area{n}'));\n"));
        let mut router = String::from("const express = require('express');\nconst router = express.Router();\n");
        for route in 0..20 {
            router.push_str(&format!("router.get('/items/{route}', (req, res) => res.json({{ n: {n} }}));\n"));
        }
        router.push_str("module.exports = router;\n");
        files.push((format!("src/routes/area{n}.js"), router));
    }
    index.push_str("app.get('/healthz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n");
    files.push(("src/index.js".into(), index));
    AppFiles::from_pairs(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

fn bundled_app() -> AppFiles {
    let mut bundle = String::from("/*! vendored library, minified in parts */\n");
    for line in 0..3600 {
        bundle.push_str(&format!("var a{line}=function(b,c){{return b.map(function(d){{return d+c+{line}}})}};\n"));
    }
    let files = [
        ("package.json", r#"{"scripts":{"start":"node app.js"},"dependencies":{"express":"^4","log4js":"^6"}}"#),
        ("package-lock.json", "{}"),
        (
            "app.js",
            "const express = require('express');\nconst app = express();\napp.use(express.static('public'));\napp.listen(process.env.PORT || 3000);\n",
        ),
        ("public/libs/bundle.js", bundle.as_str()),
    ];
    AppFiles::from_pairs(files)
}

fn analysis(c: &mut Criterion) {
    let node = node_app();
    let python = python_app();
    let routed = routed_app();
    let django = django_app();
    let mut group = c.benchmark_group("analyze_folder");
    group.sample_size(10);
    group.bench_function("node 2000 files x 200 lines", |b| b.iter(|| analyze_folder(black_box(&node))));
    group.bench_function("python 2000 files x 200 lines", |b| b.iter(|| analyze_folder(black_box(&python))));
    group.bench_function("django 700 importing modules + 1000-line settings", |b| {
        b.iter(|| analyze_folder(black_box(&django)))
    });
    group.bench_function("express 2000 mounted routers x 20 routes", |b| b.iter(|| analyze_folder(black_box(&routed))));
    let bundled = bundled_app();
    group.bench_function("express app beside a 250 KB bundle of 3600 lines", |b| {
        b.iter(|| analyze_folder(black_box(&bundled)))
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
