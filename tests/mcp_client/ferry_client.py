"""Drives `ferry mcp` over stdio with the official MCP Python SDK, as an assistant's client
would, and prints what happened as one JSON document for the Rust test to judge.

    python ferry_client.py SCENARIO FERRY_BIN [FERRY_ARGS...]

SCENARIO is one of: tools, migrate, decline, read-only, pending, apply-approved (the plan id
in FERRY_TEST_PLAN_ID), read-live (FERRY_TEST_INSTANCE), apply-failing, resume
(FERRY_TEST_RUN_ID, FERRY_TEST_HASH), apply-once, twice.
"""

import asyncio
import json
import os
import re
import sys

import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

REASON = "accepted for the MCP test: reviewed by a person"


def server(argv):
    # The SDK hands the server a minimal environment: ferry's own settings (the state folder
    # above all) and the AWS ones are passed on explicitly.
    env = {key: value for key, value in os.environ.items() if key.startswith(("FERRY_", "AWS_"))}
    return StdioServerParameters(command=argv[0], args=argv[1:], env=env)


def person(typed_digits_of, decision="accept", pause=0):
    """An elicitation callback standing in for a person: types the digits (or, for a rollback,
    the run's id read from the form) and the reasons, after thinking `pause` seconds."""
    shown = []

    async def answer(context, params):
        schema = params.requested_schema
        shown.append({"message": params.message, "fields": sorted(schema.get("properties", {}))})
        await asyncio.sleep(pause)
        if decision != "accept":
            return types.ElicitResult(action=decision)
        if "run_id" in schema.get("properties", {}):
            # The person reads the run's id from the form and types it back.
            content = {"run_id": re.search(r"Roll back run (\S+)\?", params.message).group(1)}
            return types.ElicitResult(action="accept", content=content)
        content = {"hash_digits": typed_digits_of()[:12]}
        for key in schema.get("properties", {}):
            if key.startswith("reason_"):
                content[key] = REASON
        return types.ElicitResult(action="accept", content=content)

    return answer, shown


def result(call):
    text = "".join(block.text for block in call.content if getattr(block, "type", "") == "text")
    return {"is_error": bool(call.is_error), "text": text, "structured": call.structured_content}


async def session(argv, name, callback=None, body=None):
    async with stdio_client(server(argv)) as (read, write):
        info = types.Implementation(name=name, version="9.8.7")
        async with ClientSession(read, write, client_info=info, elicitation_callback=callback) as s:
            init = await s.initialize()
            return await body(s, init)


async def tools(argv):
    async def body(s, init):
        listed = await s.list_tools()
        return {
            "protocol": init.protocol_version,
            "instructions": init.instructions,
            "server": init.server_info.name,
            "tools": [t.model_dump(by_alias=True, mode="json", exclude_none=True) for t in listed.tools],
        }

    return await session(argv, "ferry-test-lister", body=body)


async def follow(s, run_id, want, progress=None):
    seen = []

    async def on_progress(value, total, message):
        if progress is not None:
            progress.append(message)

    for _ in range(30):
        arguments = {"run_id": run_id, "wait_seconds": 60}
        status = result(await s.call_tool("run_status", arguments, progress_callback=on_progress))
        seen.append(status["structured"]["status"])
        if status["structured"]["finished"]:
            return status, seen
    return status, seen


async def migrate(argv):
    out = {}
    plan = {}

    async def plain(s, init):
        out["inventory_before"] = result(await s.call_tool("inventory", {}))["structured"]
        out["discover"] = result(await s.call_tool("discover_instance", {}))
        created = result(await s.call_tool("create_plan", {}))
        plan.update(created["structured"])
        out["create_plan"] = created
        out["show"] = result(await s.call_tool("show_plan", {"plan_id": plan["plan_id"]}))
        out["diff_now"] = result(await s.call_tool("diff_plan", {"plan_id": plan["plan_id"]}))
        patch = {"cpu": "2048", "memory": "4096"}
        patched = result(await s.call_tool("create_plan", {"service_config_patch": patch}))["structured"]
        against = {"plan_id": patched["plan_id"], "against_plan_id": plan["plan_id"]}
        out["diff_patched"] = result(await s.call_tool("diff_plan", against))
        out["analyze"] = result(await s.call_tool("analyze_app", {"app_dir": os.environ["FERRY_TEST_APP"]}))
        out["apply_without_approval"] = result(await s.call_tool("apply_plan", {"plan_id": plan["plan_id"]}))
        out["runs_after_refusal"] = result(await s.call_tool("list_runs", {}))["structured"]["runs"]
        return None

    await session(argv, "ferry-test-plain", body=plain)

    callback, shown = person(lambda: plan["hash"])
    progress = []

    async def approving(s, init):
        async def on_progress(value, total, message):
            progress.append(message)

        applied = result(await s.call_tool("apply_plan", {"plan_id": plan["plan_id"]}, progress_callback=on_progress))
        out["apply"] = applied
        run_id = applied["structured"]["run_id"]
        out["applied_status"], out["applied_seen"] = await follow(s, run_id, "APPLIED")
        out["rollback"] = result(await s.call_tool("rollback_run", {"run_id": run_id}))
        out["rolled_back_status"], _ = await follow(s, run_id, "ROLLED-BACK")
        out["inventory_after"] = result(await s.call_tool("inventory", {}))["structured"]
        out["audit"] = result(await s.call_tool("audit_log", {"last": 200}))["structured"]
        return None

    await session(argv, "ferry-test-person", callback=callback, body=approving)
    out["forms"] = shown
    out["progress"] = progress

    async def again(s, init):
        # The approval was used by the apply: the same plan is not approved a second time.
        return result(await s.call_tool("apply_plan", {"plan_id": plan["plan_id"]}))

    out["apply_again_without_approval"] = await session(argv, "ferry-test-plain", body=again)
    return out


async def read_only(argv):
    async def body(s, init):
        listed = await s.list_tools()
        try:
            refused = result(await s.call_tool("apply_plan", {"plan_id": "000000000000"}))
        except Exception as error:  # a JSON-RPC error: the tool does not exist here
            refused = {"is_error": True, "text": str(error), "structured": None}
        return {
            "tools": [t.name for t in listed.tools],
            "instructions": init.instructions,
            "apply": refused,
            "discover": result(await s.call_tool("discover_instance", {})),
        }

    return await session(argv, "ferry-test-reader", body=body)


async def decline(argv):
    callback, shown = person(lambda: "", decision="decline")

    async def body(s, init):
        created = result(await s.call_tool("create_plan", {}))
        declined = result(await s.call_tool("apply_plan", {"plan_id": created["structured"]["plan_id"]}))
        runs = result(await s.call_tool("list_runs", {}))["structured"]["runs"]
        return {"apply": declined, "runs": runs}

    out = await session(argv, "ferry-test-decliner", callback=callback, body=body)
    out["forms"] = shown
    return out


async def pending(argv):
    async def body(s, init):
        created = result(await s.call_tool("create_plan", {}))["structured"]
        refused = result(await s.call_tool("apply_plan", {"plan_id": created["plan_id"]}))
        return {"plan_id": created["plan_id"], "hash": created["hash"], "denies": created["denies"], "apply": refused}

    return await session(argv, "ferry-test-plain", body=body)


async def apply_approved(argv):
    async def body(s, init):
        applied = result(await s.call_tool("apply_plan", {"plan_id": os.environ["FERRY_TEST_PLAN_ID"]}))
        if applied["is_error"]:
            return {"apply": applied}
        progress = []
        status, _ = await follow(s, applied["structured"]["run_id"], "APPLIED", progress)
        return {"apply": applied, "status": status, "progress": progress}

    return await session(argv, "ferry-test-plain", body=body)


async def read_live(argv):
    instance = os.environ["FERRY_TEST_INSTANCE"]

    async def body(s, init):
        out = {"tools": [t.name for t in (await s.list_tools()).tools]}
        for name, arguments in [
            ("list_instances", {}),
            ("discover_instance", {"instance_id": instance}),
            ("generate_artifacts", {"instance_id": instance}),
            ("create_plan", {"instance_id": instance}),
            ("inventory", {}),
        ]:
            out[name] = result(await s.call_tool(name, arguments))
        return out

    return await session(argv, "ferry-test-live-reader", body=body)


async def apply_failing(argv):
    plan = {}
    callback, shown = person(lambda: plan["hash"])

    async def body(s, init):
        plan.update(result(await s.call_tool("create_plan", {}))["structured"])
        applied = result(await s.call_tool("apply_plan", {"plan_id": plan["plan_id"]}))
        status, _ = await follow(s, applied["structured"]["run_id"], "FAILED")
        return {"hash": plan["hash"], "run_id": applied["structured"]["run_id"], "status": status}

    return await session(argv, "ferry-test-person", callback=callback, body=body)


async def resume(argv):
    callback, shown = person(lambda: os.environ["FERRY_TEST_HASH"])
    run_id = os.environ["FERRY_TEST_RUN_ID"]

    async def body(s, init):
        resumed = result(await s.call_tool("resume_run", {"run_id": run_id}))
        if resumed["is_error"]:
            return {"resume": resumed}
        status, _ = await follow(s, run_id, "APPLIED")
        rolled = result(await s.call_tool("rollback_run", {"run_id": run_id}))
        after, _ = await follow(s, run_id, "ROLLED-BACK")
        return {"resume": resumed, "status": status, "rollback": rolled, "after": after}

    out = await session(argv, "ferry-test-person", callback=callback, body=body)
    out["forms"] = shown
    return out


async def apply_once(argv):
    plan = {}
    callback, shown = person(lambda: plan["hash"])

    async def body(s, init):
        plan.update(result(await s.call_tool("create_plan", {}))["structured"])
        return {"apply": result(await s.call_tool("apply_plan", {"plan_id": plan["plan_id"]}))}

    out = await session(argv, "ferry-test-person", callback=callback, body=body)
    out["forms"] = shown
    return out


async def twice(argv):
    """Two apply_plan calls for one plan at once, then two rollback_run calls for its run: the
    person thinks a second before answering, so the second call of each pair comes meanwhile."""
    plan = {}
    callback, shown = person(lambda: plan["hash"], pause=1.0)

    async def both(s, name, arguments):
        calls = [s.call_tool(name, arguments) for _ in range(2)]
        return [result(answer) for answer in await asyncio.gather(*calls)]

    async def body(s, init):
        plan.update(result(await s.call_tool("create_plan", {}))["structured"])
        applies = await both(s, "apply_plan", {"plan_id": plan["plan_id"]})
        runs = result(await s.call_tool("list_runs", {}))["structured"]["runs"]
        started = [a for a in applies if not a["is_error"]]
        out = {"applies": applies, "runs": runs, "apply_forms": len(shown)}
        if len(started) != 1:
            return out
        run_id = started[0]["structured"]["run_id"]
        out["applied"], _ = await follow(s, run_id, "APPLIED")
        out["rollbacks"] = await both(s, "rollback_run", {"run_id": run_id})
        out["rolled_back"], _ = await follow(s, run_id, "ROLLED-BACK")
        return out

    out = await session(argv, "ferry-test-person", callback=callback, body=body)
    out["forms"] = shown
    return out


async def verify(argv):
    async def body(s, init):
        run_id = os.environ["FERRY_TEST_RUN"]
        arguments = {"run_id": run_id, "paths": ["/api/products"], "requests": 3}
        return {
            "verify": result(await s.call_tool("verify", arguments)),
            "too_many": result(await s.call_tool("verify", {"run_id": run_id, "requests": 500})),
            "unknown": result(await s.call_tool("verify", {"run_id": "no-such-run"})),
        }

    return await session(argv, "ferry-test-verify", body=body)


async def cutover(argv):
    async def body(s, init):
        run_id = os.environ["FERRY_TEST_RUN"]
        staged = {
            "run_id": run_id,
            "stages": [50, 100],
            "bake_minutes": 1,
            "gate_window_minutes": 10,
            "max_5xx_percent": 2.5,
            "min_requests": 200,
        }
        bad_gate = {"run_id": run_id, "max_p95_seconds": -1}
        return {
            "plan": result(await s.call_tool("create_cutover_plan", staged)),
            "bad_gate": result(await s.call_tool("create_cutover_plan", bad_gate)),
            "bad_stages": result(await s.call_tool("create_cutover_plan", {"run_id": run_id, "stages": [50, 20]})),
            "finalize_early": result(await s.call_tool("create_cutover_plan", {"run_id": run_id, "finalize": True})),
            "checklist": result(await s.call_tool("decommission_checklist", {"run_id": run_id})),
        }

    return await session(argv, "ferry-test-cutover", body=body)


def main():
    scenario, argv = sys.argv[1], sys.argv[2:]
    run = {
        "tools": tools,
        "migrate": migrate,
        "decline": decline,
        "read-only": read_only,
        "pending": pending,
        "apply-approved": apply_approved,
        "read-live": read_live,
        "apply-failing": apply_failing,
        "resume": resume,
        "apply-once": apply_once,
        "twice": twice,
        "verify": verify,
        "cutover": cutover,
    }[scenario]
    print(json.dumps(asyncio.run(run(argv))))


if __name__ == "__main__":
    main()
