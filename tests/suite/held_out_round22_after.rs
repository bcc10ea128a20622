//! Blind round 22's leftovers, whole apps through `analyze`: a media cache a Node.js app
//! writes into the folder it serves (through a helper of its own), a demand for a setting in a
//! getter only request handlers call, and a base URL named for the API the app calls.

use crate::app_fixtures::profile_of_files;

use ferry::model::FindingLevel;

const PACKAGE: &str = r#"{"name":"reader","scripts":{"start":"node app.js"},"dependencies":{"express":"4.19.2"}}"#;

#[test]
fn a_media_cache_in_the_served_folder_is_a_blocker() {
    let tools = "const fs = require('fs')\nmodule.exports = function () {\n  this.keep = (bytes, target) => {\n    return new Promise(done => fs.writeFile(target, bytes, 'binary', done))\n  }\n}\n";
    let cache = "module.exports = function () {\n  this.mirror = async (url, name) => {\n    const local = `./public/media/${name}`\n    const bytes = await fetchBytes(url)\n    await keep(bytes, local)\n    return `/media/${name}`\n  }\n}\n";
    let app = "const express = require('express')\nconst app = express()\napp.use(express.static(`${__dirname}/public`))\napp.listen(process.env.PORT || 8080)\n";
    let profile = profile_of_files(&[
        ("package.json", PACKAGE),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("app.js", app),
        ("inc/tools.js", tools),
        ("inc/mirror.js", cache),
    ]);
    let found: Vec<(&str, FindingLevel, &str)> = profile
        .findings
        .iter()
        .filter(|f| f.kind == "local-disk-writes")
        .map(|f| (f.kind.as_str(), f.level, f.source.as_str()))
        .collect();
    assert_eq!(found, [("local-disk-writes", FindingLevel::Blocker, "inc/mirror.js:5")], "{:#?}", profile.findings);
}

#[test]
fn a_getter_only_handlers_call_stops_nothing_at_start() {
    let billing = "export const getPayments = () => {\n  if (!process.env.PAYMENTS_KEY) throw new Error('PAYMENTS_KEY is not set')\n  return new Payments(process.env.PAYMENTS_KEY)\n}\n";
    let route = "import { getPayments } from '../billing'\nrouter.post('/checkout', async (req, res) => {\n  const payments = getPayments()\n  res.json(await payments.charge(req.body))\n})\n";
    let boot = "import { loadKeys } from './keys'\nconst keys = loadKeys()\napp.listen(3000)\n";
    let keys = "export function loadKeys() {\n  if (!process.env.SIGNING_KEY) {\n    throw new Error('SIGNING_KEY is not set')\n  }\n  return process.env.SIGNING_KEY\n}\n";
    let profile = profile_of_files(&[
        ("package.json", PACKAGE),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("src/billing.ts", billing),
        ("src/routes/checkout.ts", route),
        ("src/app.ts", boot),
        ("src/keys.ts", keys),
    ]);
    let required: Vec<(FindingLevel, &str)> =
        profile.findings.iter().filter(|f| f.kind == "required-env").map(|f| (f.level, f.source.as_str())).collect();
    assert_eq!(
        required,
        [(FindingLevel::Blocker, "src/keys.ts:3"), (FindingLevel::Warning, "src/billing.ts:2")],
        "{:#?}",
        profile.findings
    );
}

#[test]
fn a_base_url_of_the_api_the_app_calls_is_no_public_url() {
    let config = "module.exports = {\n  graphUrl: process.env.AZURE_CLIENT_BASE_URL || 'http://localhost:3939/graph/',\n  site: process.env.APP_BASE_URL || 'http://localhost:8080',\n}\n";
    let app = "const config = require('./config')\nconst express = require('express')\nexpress().listen(8080)\n";
    let profile = profile_of_files(&[
        ("package.json", PACKAGE),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("app.js", app),
        ("config.js", config),
    ]);
    let localhost = |name: &str| {
        profile
            .findings
            .iter()
            .find(|f| f.kind == "localhost-default-host" && f.message.starts_with(name))
            .map(|f| f.level)
    };
    assert_eq!(localhost("AZURE_CLIENT_BASE_URL"), Some(FindingLevel::Warning), "{:#?}", profile.findings);
    assert_eq!(localhost("APP_BASE_URL"), Some(FindingLevel::Blocker), "the app's own URL");
}
