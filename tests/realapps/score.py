#!/usr/bin/env python3
"""Score `ferry analyze --app DIR --json` against the hand-read truth in truth/*.toml.

Usage:
    python3 tests/realapps/score.py --ferry PATH_TO_BINARY [--out /tmp/realapps/out-NAME]
        [--apps substr,...] [--verbose] [--artifacts] [--json-summary FILE]

Each app is extracted from the local git mirror (/work/.mirror/<owner>+<name>/) at the truth
commit into /tmp/realapps/<owner>__<name> (once; outside the project), analysed, and its JSON
kept in --out. See README.md next to this file for the truth schema and the scoring rules;
the rules this script applies are in the docstrings of the score_* functions below.
Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRUTH_DIR = HERE / "truth"
MIRRORS = Path("/work/.mirror")
WORK = Path("/tmp/realapps")
TIMEOUT = 120
TOOLS_VENV = HERE.parent.parent / "target" / "tools-artifacts" / "bin"
BOTOCORE_CHECK = """\
import json, sys, botocore.session
from botocore.validate import ParamValidator
model = botocore.session.get_session().get_service_model('ecs')
shape = model.operation_model('CreateExpressGatewayService').input_shape
report = ParamValidator().validate(json.load(open(sys.argv[1])), shape)
print(report.generate_report() if report.has_errors() else 'valid')
"""
OLD_ENV_FINDING = re.compile(r"the code reads (\S+) but")


# --- fetching -------------------------------------------------------------------------------


def git_dir(repo):
    """The git directory of the local mirror of `owner/name`: the bare repo or its .git."""
    base = MIRRORS / repo.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    raise RuntimeError(f"no git mirror for {repo} under {base}")


def missing_blobs(gitdir, commit):
    """Paths at `commit` whose blobs the mirror lacks (partial snapshots)."""
    tree = subprocess.run(
        ["git", f"--git-dir={gitdir}", "ls-tree", "-r", "-z", commit],
        capture_output=True, check=True,
    ).stdout.decode()
    entries = []
    for item in tree.split("\0"):
        if not item:
            continue
        meta, path = item.split("\t", 1)
        _, kind, sha = meta.split()
        if kind == "blob":
            entries.append((sha, path))
    check = subprocess.run(
        ["git", f"--git-dir={gitdir}", "cat-file", "--batch-check"],
        input="".join(f"{sha}\n" for sha, _ in entries).encode(), capture_output=True, check=True,
    ).stdout.decode().splitlines()
    return [path for (sha, path), line in zip(entries, check) if line.endswith("missing")]


def extract(truth, name):
    """The extracted source folder of an app (extracted now unless already there), and notes."""
    dest = WORK / name
    notes_file = WORK / (name + ".notes")
    if dest.is_dir():
        return dest, notes_file.read_text().splitlines() if notes_file.is_file() else []
    notes = []
    gitdir = git_dir(truth["repo"])
    part = WORK / (name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    pathspecs = []
    for attempt in range(2):
        archive = subprocess.Popen(
            ["git", f"--git-dir={gitdir}", "archive", truth["commit"], *pathspecs],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        untar = subprocess.run(["tar", "-x", "-C", str(part)], stdin=archive.stdout, capture_output=True)
        archive.stdout.close()
        err = archive.stderr.read().decode()
        if archive.wait() == 0 and untar.returncode == 0:
            break
        if attempt == 1:
            raise RuntimeError(f"git archive {truth['repo']}@{truth['commit'][:12]} failed: {err.strip()}")
        # The mirror lacks some blobs: extract everything else, and say which were left out.
        absent = missing_blobs(gitdir, truth["commit"])
        if not absent:
            raise RuntimeError(f"git archive {truth['repo']}@{truth['commit'][:12]} failed: {err.strip()}")
        shutil.rmtree(part)
        part.mkdir()
        pathspecs = ["--", "."] + [f":(exclude,literal){p}" for p in absent]
        notes.append(f"mirror lacks {len(absent)} blob(s), left out: {', '.join(absent[:5])}")
    if notes:
        notes_file.write_text("\n".join(notes) + "\n")
    part.rename(dest)
    return dest, notes


# --- running ferry ----------------------------------------------------------------------------


def run_ferry(ferry, app_dir, out_dir, name):
    """ferry's JSON profile (dict) and its raw text, or (None, error)."""
    try:
        proc = subprocess.run(
            [ferry, "analyze", "--app", str(app_dir), "--json"],
            capture_output=True, timeout=TIMEOUT, cwd="/tmp",
        )
    except subprocess.TimeoutExpired:
        return None, f"timeout after {TIMEOUT}s"
    (out_dir / f"{name}.stderr").write_bytes(proc.stderr)
    (out_dir / f"{name}.json").write_bytes(proc.stdout)
    if proc.returncode != 0:
        last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no stderr)"]
        return None, f"exit {proc.returncode}: {last[0][:200]}"
    text = proc.stdout.decode(errors="replace")
    try:
        return json.loads(text), text
    except json.JSONDecodeError as error:
        return None, f"invalid JSON: {error}"


# --- scoring ---------------------------------------------------------------------------------


def significant(runtime, version):
    """The part of a version that picks the base image: the major for node and java
    (`24.14.1` -> `24`), major.minor for python and go (`3.12.4` -> `3.12`, `1.25.1` -> `1.25`)."""
    parts = str(version).strip().lstrip("v").split(".")
    keep = 2 if runtime in ("python", "go") else 1
    return ".".join(parts[:keep])


def score_version(truth, profile):
    """Right when the significant part (see `significant`) matches truth's value or any
    `acceptable`; for an `unstated` truth, right only when ferry labels its version a default."""
    rt = profile.get("runtime") or {}
    tv = truth["version"]
    if tv["value"] == "unstated":
        return str(rt.get("source", "")).startswith("default")
    if not rt.get("version"):
        return False
    name = truth["runtime"]["value"]
    mine = significant(name, rt["version"])
    return any(mine == significant(name, v) for v in [tv["value"], *tv.get("acceptable", [])])


def norm_pm(pm):
    return {"yarn-berry": "yarn", "yarn-pnp": "yarn"}.get(pm, pm)


def score_pm(truth, profile):
    """package_manager equal to truth or any `acceptable`; yarn-berry and yarn-pnp count as yarn."""
    tp = truth["package_manager"]
    return norm_pm(profile.get("package_manager")) in {norm_pm(v) for v in [tp["value"], *tp.get("acceptable", [])]}


JVM_OPTION = re.compile(r"^-(XX:|X[a-z]|D|javaagent)")
PACKAGE_RUNNERS = {"npm", "yarn", "pnpm", "bun"}


def loose(argv, runtime=None):
    """The loose form of a start command, for "equivalent" matching:
    - a leading `npx` is dropped;
    - the program word loses its path (`/usr/bin/shiori` -> `shiori`, `./gotify-app` -> `gotify-app`);
    - arguments lose a leading `./` (`./build/x.js` -> `build/x.js`), nothing else of their path;
    - `npm|yarn|pnpm|bun run SCRIPT` is `... SCRIPT` (same script);
    - for `java`: JVM options (-XX:, -Xmx, -D..., -javaagent) are dropped and any `*.jar` path is
      `<jar>` (where the build puts the jar is the image's layout, not a different command);
    - for Go: the program is `<binary>`, for the same reason;
    - for gunicorn and uvicorn: the app, the bind address and the worker class, in any order
      (log and worker-count flags do not change what is served)."""
    words = list(argv)
    if words and words[0] == "npx":
        words = words[1:]
    if not words:
        return ()
    words[0] = words[0].rsplit("/", 1)[-1]
    words = [words[0]] + [w[2:] if w.startswith("./") else w for w in words[1:]]
    if words[0] in PACKAGE_RUNNERS and len(words) > 2 and words[1] == "run":
        words = [words[0]] + words[2:]
    if words[0] == "java":
        words = [w for w in words if not JVM_OPTION.match(w)]
        words = ["<jar>" if w.endswith(".jar") else w for w in words]
    if runtime == "go":
        words[0] = "<binary>"
    if words[0] in ("gunicorn", "uvicorn"):
        return python_server(words)
    return tuple(words)


SERVER_VALUE_FLAGS = {"--bind", "-b", "--host", "--port", "--worker-class", "-k", "--workers", "-w",
                      "--access-logfile", "--error-logfile", "--log-level", "--timeout", "-t", "--threads"}
SERVED_FLAGS = {"--bind": "bind", "-b": "bind", "--worker-class": "class", "-k": "class",
                "--host": "host", "--port": "port"}


def python_server(words):
    """(server, app, bind, class): what a gunicorn or uvicorn command serves, flags in any order."""
    served, app, i = {}, None, 1
    while i < len(words):
        word = words[i]
        flag, _, inline = word.partition("=")
        if flag in SERVER_VALUE_FLAGS:
            value = inline if inline else (words[i + 1] if i + 1 < len(words) else "")
            if flag in SERVED_FLAGS:
                served[SERVED_FLAGS[flag]] = value
            i += 1 if inline else 2
            continue
        if not word.startswith("-") and app is None:
            app = word.strip("'\"")
        i += 1
    bind = served.get("bind") or f"{served.get('host', '127.0.0.1')}:{served.get('port', '8000')}"
    return (words[0], app, bind, served.get("class"))


def score_start(truth, profile):
    """(exact, loose): exact = start_command equals truth value or an `acceptable`; loose = the
    same after `loose()` on both sides (exact implies loose)."""
    ts = truth["start_command"]
    wanted = [ts["value"], *ts.get("acceptable", [])]
    mine = profile.get("start_command") or []
    exact = any(mine == w for w in wanted)
    runtime = (profile.get("runtime") or {}).get("name")
    return exact, exact or any(loose(mine, runtime) == loose(w, runtime) for w in wanted)


def kinds(profile, levels):
    return [f.get("kind") for f in profile.get("findings", []) if f.get("level") in levels]


def score_health(truth, profile):
    """health_check_path equals truth; truth `none` is right when a finding has kind `no-health-route`."""
    want = truth["health_path"]["value"]
    if want == "none":
        return "no-health-route" in kinds(profile, ("info", "warning", "blocker"))
    return profile.get("health_check_path") == want


def ferry_variables(profile):
    """(runtime names, tooling names, secret names, schema) of what ferry reports.
    New schema: `variables[]` with scope; old: `the code reads X but` findings plus `env[].name`,
    all taken as runtime, secrets from `env[].secret`."""
    if "variables" in profile:
        variables = profile.get("variables") or []
        runtime = {v["name"] for v in variables if v.get("scope") != "tooling"}
        tooling = {v["name"] for v in variables if v.get("scope") == "tooling"} - runtime
        secret = {v["name"] for v in variables if v.get("secret") is True}
        return runtime, tooling, secret, "new"
    runtime = {e["name"] for e in profile.get("env", [])}
    for finding in profile.get("findings", []):
        match = OLD_ENV_FINDING.search(finding.get("message", ""))
        if match:
            runtime.add(match.group(1))
    secret = {e["name"] for e in profile.get("env", []) if e.get("secret") is True}
    return runtime, set(), secret, "old"


def plain_candidates(default):
    """The strings a secret's truth default may appear as: the default itself and, when it ends
    in a parenthesised provenance (`mongodb://... (.env.example)`), the value before it."""
    out = {default}
    stripped = re.sub(r"\s*\([^()]*\)\s*$", "", default)
    if stripped:
        out.add(stripped)
    return {s for s in out if len(s) >= 6}


def string_values(node, key=""):
    """Every string value of a JSON document, except those of `source`/`*_source` keys (file
    paths and line numbers, which name the app's folders and would match short defaults)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from string_values(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from string_values(v, key)
    elif isinstance(node, str) and not (key == "source" or key.endswith("_source")):
        yield node


def standalone(needle, haystack):
    """`needle` occurs in `haystack` not as part of a longer word, path or dotted name
    (`mealie` is not found in `mealie.app:app`, `petclinic` not in `spring-petclinic-4.0.0`)."""
    edge = r"[\w./:-]"
    return re.search(rf"(?<!{edge}){re.escape(needle)}(?!{edge})", haystack) is not None


def score_app(truth, profile, text):
    """Every fact of one app, as a dict."""
    env = truth.get("env", [])
    t_runtime = {e["name"] for e in env if e.get("scope") == "runtime"}
    t_tooling = {e["name"] for e in env if e.get("scope") == "tooling"} - t_runtime
    t_secrets = {e["name"] for e in env if e.get("scope") == "runtime" and e.get("secret")}
    t_all = {e["name"] for e in env}
    blocker_kinds = [b["kind"] for b in truth.get("blockers", [])]
    warning_kinds = [w["kind"] for w in truth.get("warnings", [])]
    r = {
        "ok": profile is not None,
        "env_total": len(t_runtime),
        "tooling_total": len(t_tooling),
        "secrets_total": len(t_secrets),
        "blockers_total": len(blocker_kinds),
    }
    if profile is None:
        r.update(runtime=False, version=False, pm=False, start=False, start_loose=False, port=False,
                 health=False, env_found=0, tooling_as_runtime=[], extras=[], env_missing=sorted(t_runtime),
                 secrets_found=0, secrets_missing=sorted(t_secrets), plain_secrets=[], plain_secrets_raw=[],
                 blocker_hit=False,
                 blockers_matched=0, blockers_missed=blocker_kinds, unconfirmed=[], schema="-")
        return r
    exact, loose_ok = score_start(truth, profile)
    f_runtime, _f_tooling, f_secret, schema = ferry_variables(profile)
    secret_defaults = [(e["name"], str(e["default"])) for e in env
                       if e.get("secret") and e.get("scope") == "runtime" and "default" in e]
    plain_raw = sorted(n for n, d in secret_defaults if any(c in text for c in plain_candidates(d)))
    values = "\n".join(string_values(profile))
    plain = sorted(n for n, d in secret_defaults if any(standalone(c, values) for c in plain_candidates(d)))
    # A blocker ferry resolves on the service itself (a loopback listen address it sets to
    # 0.0.0.0) is said as an info finding: it counts as found.
    resolved = [f for f in profile.get("findings", [])
                if f.get("level") == "info" and "the service sets" in (f.get("message") or "")]
    f_blockers = [f for f in profile.get("findings", []) if f.get("level") == "blocker"] + resolved
    f_bw_kinds = (set(kinds(profile, ("blocker", "warning"))) | {f.get("kind") for f in resolved}) - {None}
    truth_kinds = set(blocker_kinds) | set(warning_kinds)
    rt = profile.get("runtime") or {}
    wrong = {
        "runtime": (rt.get("name"), truth["runtime"]["value"]),
        "version": (f"{rt.get('version')} ({rt.get('source')})",
                    " / ".join([truth["version"]["value"], *truth["version"].get("acceptable", [])])),
        "pm": (profile.get("package_manager"),
               " / ".join([truth["package_manager"]["value"], *truth["package_manager"].get("acceptable", [])])),
        "start": (json.dumps(profile.get("start_command")),
                  " / ".join(json.dumps(c) for c in [truth["start_command"]["value"],
                                                       *truth["start_command"].get("acceptable", [])])),
        "port": (profile.get("port"), truth["port"]["value"]),
        "health": (profile.get("health_check_path"), truth["health_path"]["value"]),
    }
    r.update(
        schema=schema,
        runtime=(profile.get("runtime") or {}).get("name") == truth["runtime"]["value"],
        version=score_version(truth, profile),
        pm=score_pm(truth, profile),
        start=exact,
        start_loose=loose_ok,
        port=profile.get("port") == truth["port"]["value"],
        health=score_health(truth, profile),
        env_found=len(t_runtime & f_runtime),
        env_missing=sorted(t_runtime - f_runtime),
        tooling_as_runtime=sorted(t_tooling & f_runtime),
        extras=sorted(f_runtime - t_all),
        secrets_found=len(t_secrets & f_secret),
        secrets_missing=sorted(t_secrets - f_secret),
        plain_secrets=plain,
        plain_secrets_raw=plain_raw,
        blocker_hit=any(f.get("kind") in blocker_kinds for f in f_blockers),
        blockers_matched=sum(1 for k in blocker_kinds if k in f_bw_kinds),
        blockers_missed=[k for k in blocker_kinds if k not in f_bw_kinds],
        unconfirmed=[
            {"kind": f.get("kind"), "message": f.get("message", ""), "source": f.get("source", "")}
            for f in f_blockers
            if f.get("kind") not in truth_kinds
        ],
    )
    r["wrong"] = {k: v for k, v in wrong.items() if not r[k]}
    if "start" in r["wrong"] and r["start_loose"]:
        r["wrong"]["start (loose match)"] = r["wrong"].pop("start")
    return r


# --- artifacts -------------------------------------------------------------------------------


def check_artifacts(ferry, app_dir, name, sandbox, secrets):
    """Generate the artifacts for the app on the bundled sandbox; hadolint the Dockerfile,
    botocore-validate service.json; flag truth secret defaults found in any generated file."""
    out = WORK / "gen" / name
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, FERRY_STATE_DIR=str(WORK / "state"))
    result = {"generate": False, "hadolint": None, "botocore": None, "plain_secrets": [], "detail": ""}
    try:
        gen = subprocess.run(
            [ferry, "generate", "--sandbox", sandbox, "--app", str(app_dir), "--out", str(out)],
            capture_output=True, timeout=TIMEOUT, env=env, cwd="/tmp",
        )
    except subprocess.TimeoutExpired:
        result["detail"] = f"generate: timeout after {TIMEOUT}s"
        return result
    if gen.returncode != 0:
        lines = gen.stderr.decode(errors="replace").strip().splitlines()
        result["detail"] = "generate: " + (lines[-1][:300] if lines else f"exit {gen.returncode}")
        return result
    result["generate"] = True
    hadolint = subprocess.run([str(TOOLS_VENV / "hadolint"), "--no-color", str(out / "Dockerfile")], capture_output=True)
    result["hadolint"] = hadolint.returncode == 0 and not hadolint.stdout.strip()
    details = []
    if not result["hadolint"]:
        details.append("hadolint: " + "; ".join((hadolint.stdout + hadolint.stderr).decode().strip().splitlines()))
    boto = subprocess.run([str(TOOLS_VENV / "python"), "-c", BOTOCORE_CHECK, str(out / "service.json")],
                          capture_output=True)
    verdict = boto.stdout.decode().strip()
    result["botocore"] = boto.returncode == 0 and verdict == "valid"
    if not result["botocore"]:
        details.append("botocore: " + (verdict or boto.stderr.decode().strip()).replace("\n", "; "))
    texts = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    result["plain_secrets"] = sorted(n for n, d in secrets if any(standalone(c, texts) for c in plain_candidates(d)))
    result["detail"] = " | ".join(details)
    return result


# --- report ----------------------------------------------------------------------------------


def mark(flag):
    return "Y" if flag else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ferry", required=True, help="the ferry binary to measure")
    parser.add_argument("--out", default=None, help="where to keep each app's JSON (default /tmp/realapps/out)")
    parser.add_argument("--apps", default="", help="comma-separated substrings of truth file names")
    parser.add_argument("--verbose", action="store_true", help="also list missed and extra names per app")
    parser.add_argument("--artifacts", action="store_true", help="also generate and lint the artifacts")
    parser.add_argument("--sandbox", default="node-shop", help="the bundled sandbox scenario for --artifacts")
    parser.add_argument("--json-summary", default=None, help="write per-app and total numbers as JSON here")
    args = parser.parse_args()

    ferry = str(Path(args.ferry).resolve())
    out_dir = Path(args.out or WORK / "out")
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = [s for s in args.apps.split(",") if s]
    files = sorted(p for p in TRUTH_DIR.glob("*.toml") if not wanted or any(s in p.stem for s in wanted))
    if not files:
        sys.exit("no truth file matches --apps")

    results = {}
    for path in files:
        name = path.stem
        truth = tomllib.loads(path.read_text())
        notes = []
        try:
            src, notes = extract(truth, name)
            app_dir = src / truth["subdir"] if truth.get("subdir") else src
            profile, text = run_ferry(ferry, app_dir, out_dir, name)
        except (RuntimeError, subprocess.CalledProcessError, OSError) as error:
            profile, text, app_dir = None, f"fetch: {error}", None
        r = score_app(truth, profile, text if profile is not None else "")
        r["error"] = None if profile is not None else text
        r["notes"] = notes
        if args.artifacts:
            secrets = [(e["name"], str(e["default"])) for e in truth.get("env", [])
                       if e.get("secret") and e.get("scope") == "runtime" and "default" in e]
            r["artifacts"] = (check_artifacts(ferry, app_dir, name, args.sandbox, secrets)
                              if app_dir is not None else {"generate": False, "hadolint": None, "botocore": None,
                                                           "plain_secrets": [], "detail": "not fetched"})
        results[name] = r

    width = max(len(n) for n in results)
    head = f"{'app':<{width}}  rt ver pm start port hlth    env      sec  blk  bmatch tool extra leak"
    if args.artifacts:
        head += "  gen hado boto"
    print(head)
    for name, r in results.items():
        start = "Y" if r["start"] else ("~" if r["start_loose"] else "-")
        row = (f"{name:<{width}}  {mark(r['runtime']):>2} {mark(r['version']):>3} {mark(r['pm']):>2} {start:>5} "
               f"{mark(r['port']):>4} {mark(r['health']):>4} {r['env_found']:>3}/{r['env_total']:<3} "
               f"{r['secrets_found']:>3}/{r['secrets_total']:<3} {mark(r['blocker_hit']):>3} "
               f"{r['blockers_matched']:>3}/{r['blockers_total']:<2} {len(r['tooling_as_runtime']):>4} "
               f"{len(r['extras']):>5} {len(r['plain_secrets']):>4}")
        if args.artifacts:
            a = r["artifacts"]
            row += f"  {mark(a['generate']):>3} {mark(a['hadolint']):>4} {mark(a['botocore']):>4}"
        print(row)

    print()
    for name, r in results.items():
        lines = []
        if r["error"]:
            lines.append(f"FAILED: {r['error']}")
        lines += [f"note: {n}" for n in r["notes"]]
        if r["tooling_as_runtime"]:
            lines.append(f"tooling-only reported as runtime: {', '.join(r['tooling_as_runtime'])}")
        if r["plain_secrets"]:
            lines.append(f"secret default in plain text in the JSON: {', '.join(r['plain_secrets'])}")
        loose_only = sorted(set(r["plain_secrets_raw"]) - set(r["plain_secrets"]))
        if loose_only:
            lines.append(f"secret default found only as a substring (paths, names; not counted as leak): "
                         f"{', '.join(loose_only)}")
        for u in r["unconfirmed"]:
            lines.append(f"unconfirmed blocker [{u['kind'] or 'no kind'}] {u['message']} <- {u['source']}")
        if args.artifacts:
            a = r["artifacts"]
            if a["detail"]:
                lines.append(f"artifacts: {a['detail']}")
            if a["plain_secrets"]:
                lines.append(f"secret default in plain text in the artifacts: {', '.join(a['plain_secrets'])}")
        if args.verbose:
            for fact, (mine, want) in r.get("wrong", {}).items():
                lines.append(f"wrong {fact}: ferry {mine}; truth {want}")
            lines.append(f"blocker kinds missed: {', '.join(r['blockers_missed']) or '(none)'}")
            lines.append(f"env missed ({len(r['env_missing'])}): {' '.join(r['env_missing'])}")
            lines.append(f"env extras ({len(r['extras'])}): {' '.join(r['extras'])}")
            lines.append(f"secrets not marked ({len(r['secrets_missing'])}): {' '.join(r['secrets_missing'])}")
        if lines:
            print(f"{name} [{r.get('schema', '-')} schema]:")
            for line in lines:
                print(f"  {line}")

    n = len(results)
    s = lambda key: sum(1 for r in results.values() if r[key])
    t = lambda key: sum(r[key] for r in results.values())
    totals = {
        "apps": n,
        "failed": n - s("ok"),
        "runtime": s("runtime"),
        "version": s("version"),
        "pm": s("pm"),
        "start_exact": s("start"),
        "start_loose": s("start_loose"),
        "port": s("port"),
        "health": s("health"),
        "env_found": t("env_found"),
        "env_total": t("env_total"),
        "tooling_as_runtime": sum(len(r["tooling_as_runtime"]) for r in results.values()),
        "tooling_total": t("tooling_total"),
        "env_extras": sum(len(r["extras"]) for r in results.values()),
        "secrets_found": t("secrets_found"),
        "secrets_total": t("secrets_total"),
        "secret_values_plain": sum(len(r["plain_secrets"]) for r in results.values()),
        "secret_values_substring": sum(len(r["plain_secrets_raw"]) for r in results.values()),
        "blocker_apps": s("blocker_hit"),
        "blockers_matched": t("blockers_matched"),
        "blockers_total": t("blockers_total"),
        "unconfirmed_blockers": sum(len(r["unconfirmed"]) for r in results.values()),
    }
    line = (f"TOTALS runtime {totals['runtime']}/{n}, version {totals['version']}/{n}, pm {totals['pm']}/{n}, "
            f"start {totals['start_exact']}/{n} exact ({totals['start_loose']}/{n} loose), port {totals['port']}/{n}, "
            f"health {totals['health']}/{n}, env {totals['env_found']}/{totals['env_total']}, "
            f"tooling-as-runtime {totals['tooling_as_runtime']}/{totals['tooling_total']}, "
            f"env extras {totals['env_extras']}, secrets {totals['secrets_found']}/{totals['secrets_total']}, "
            f"secret values in plain text {totals['secret_values_plain']} "
            f"({totals['secret_values_substring']} as any substring), "
            f"blocker apps {totals['blocker_apps']}/{n}, blockers matched {totals['blockers_matched']}/"
            f"{totals['blockers_total']}, unconfirmed blockers {totals['unconfirmed_blockers']}, "
            f"failed {totals['failed']}")
    if args.artifacts:
        arts = [r["artifacts"] for r in results.values()]
        totals.update(
            artifacts_generated=sum(1 for a in arts if a["generate"]),
            hadolint_pass=sum(1 for a in arts if a["hadolint"]),
            botocore_pass=sum(1 for a in arts if a["botocore"]),
            artifact_secret_values_plain=sum(len(a["plain_secrets"]) for a in arts),
        )
        line += (f", generate {totals['artifacts_generated']}/{n}, hadolint {totals['hadolint_pass']}/{n}, "
                 f"botocore {totals['botocore_pass']}/{n}, "
                 f"secret values in artifacts {totals['artifact_secret_values_plain']}")
    print(line)

    if args.json_summary:
        summary = {"ferry": ferry, "out": str(out_dir), "totals": totals, "apps": results}
        Path(args.json_summary).write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
