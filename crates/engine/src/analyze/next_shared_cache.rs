//! A Next.js app that invalidates its cache on demand (`revalidateTag`, `revalidatePath`, often
//! from a webhook route). A self-hosted Next.js server keeps that cache on its own disk and in
//! its own memory, so the call clears it only in the task that took the request; the other
//! tasks serve the stale pages until their copy expires. A `cacheHandler` in next.config shares
//! the cache, and then nothing is said.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports::live_lines;
use super::source::is_test_path;
use crate::model::Finding;

const EXTENSIONS: [&str; 6] = ["ts", "tsx", "js", "jsx", "mjs", "cjs"];

/// Calls that invalidate the cache of the server that runs them.
const INVALIDATIONS: [&str; 3] = ["revalidateTag(", "revalidatePath(", "expireTag("];

/// The warning, at the first live line that invalidates the cache, when nothing shares it.
pub fn finding(files: &AppFiles, manifest: &Value) -> Option<Finding> {
    manifest.pointer("/dependencies/next")?;
    let shared = files.files.iter().any(|(path, text)| {
        path.starts_with("next.config.") && live_lines(text).iter().any(|l| l.contains("cacheHandler"))
    });
    if shared {
        return None;
    }
    let at = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| !is_test_path(path) && !path.contains("node_modules/") && !path.starts_with(".next/"))
        .find_map(|(path, text)| {
            let index = live_lines(text).iter().position(|line| {
                INVALIDATIONS.iter().any(|call| line.contains(call) && !line.contains(&format!("function {call}")))
            })?;
            Some(format!("{path}:{}", index + 1))
        })?;
    Some(
        Finding::warning(
            "in-memory-cache",
            "invalidates Next.js's cache on demand (revalidateTag/revalidatePath), which each task keeps on its own disk and in its own memory: the call clears it only in the task that runs it, and the others serve stale pages until theirs expire",
            at,
        )
        .with_fix("set a shared cacheHandler in next.config (Redis on ElastiCache), or run one task"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"{"dependencies":{"next":"15.0.0"}}"#;

    fn said(pairs: &[(&str, &str)]) -> Option<String> {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let manifest: Value = serde_json::from_str(MANIFEST).expect("json");
        finding(&files, &manifest).map(|f| f.source)
    }

    #[test]
    fn a_webhook_that_revalidates_clears_one_tasks_cache() {
        let route = "import { revalidateTag } from 'next/cache';\n\nexport async function POST() {\n  revalidateTag('products');\n}\n";
        assert_eq!(said(&[("app/api/revalidate/route.ts", route)]).as_deref(), Some("app/api/revalidate/route.ts:4"));
    }

    #[test]
    fn a_shared_cache_handler_or_no_invalidation_says_nothing() {
        let route = "export async function POST() {\n  revalidatePath('/');\n}\n";
        let config = "module.exports = { cacheHandler: require.resolve('./cache-handler.js') };\n";
        assert_eq!(said(&[("app/api/r/route.ts", route), ("next.config.js", config)]), None);
        let commented = "module.exports = {\n  // cacheHandler: require.resolve('./cache-handler.js'),\n};\n";
        assert!(
            said(&[("app/api/r/route.ts", route), ("next.config.js", commented)]).is_some(),
            "a commented handler shares nothing"
        );
        assert_eq!(
            said(&[(
                "app/page.tsx",
                "// revalidatePath('/') once we have a webhook\nexport default function Page() {}\n"
            )]),
            None
        );
    }
}
