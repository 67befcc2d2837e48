//! Answers just under the 1 MiB cap, shaped to cost the most: the most ids, scope entries,
//! advertisers and warnings 1 MiB can hold. Each is read with a bounded peak of memory (a counting
//! allocator: the native reader builds the same values the wasm's does) and quickly, and says
//! what it left out. `tests/soak/answer-limits.test.mjs` measures the wasm's own memory in Node.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tiktok_ads_auth::*;

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time: the counters are global.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const MIB: usize = 1 << 20;
/// What no answer under the cap may take: memory above what was live before, and time (a debug
/// build; the release wasm in Node has 2 s, `tests/soak/answer-limits.test.mjs`).
const MAX_PEAK: usize = 16 * MIB;
const MAX_TIME: Duration = Duration::from_secs(10);

/// `head`, then `item` repeated with `sep` as often as fits under 1 MiB with `tail`.
fn fill(head: &str, item: &str, sep: &str, tail: &str) -> (String, usize) {
    let mut body = head.to_owned();
    let mut n = 0;
    while body.len() + sep.len() + item.len() + tail.len() < MIB {
        if n > 0 {
            body.push_str(sep);
        }
        body.push_str(item);
        n += 1;
    }
    body.push_str(tail);
    (body, n)
}

/// Runs `read`, and returns its result with the peak of memory it took above what was live.
fn measured<T>(what: &str, read: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let start = Instant::now();
    let out = read();
    let (took, peak) = (start.elapsed(), PEAK.load(Relaxed) - before);
    println!("{what}: peak {:.1} MiB, {took:?}", peak as f64 / MIB as f64);
    assert!(
        peak <= MAX_PEAK,
        "{what}: {:.1} MiB at the peak",
        peak as f64 / MIB as f64
    );
    assert!(took <= MAX_TIME, "{what}: {took:?}");
    out
}

const GRANT_HEAD: &str = r##"{"code":0,"data":{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b","##;

#[test]
fn a_grant_of_1_mib_of_ids_or_scope_entries_is_read_in_bounds_and_says_what_it_left_out() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let long_fraction = format!("1.{}", "5".repeat(22));
    for (name, field, item) in [
        // Past 50 000 values: refused whole, as `invalid_response`.
        ("advertiser ids", "advertiser_ids", "1"),
        ("empty scope ids", "scope", "\"\""),
        ("fractional scope ids", "scope", "1.5"),
        (
            "advertiser ids that are not numbers",
            "advertiser_ids",
            r##""a""##,
        ),
        // Under it: read, the first 10 000 entries of a list, with a dozen warnings at most.
        (
            "19-digit advertiser ids",
            "advertiser_ids",
            r##""7000000000000000001""##,
        ),
        ("long fractional scope ids", "scope", &long_fraction),
        (
            "advertiser ids that are not all digits",
            "advertiser_ids",
            r##""7000000000000000001x""##,
        ),
    ] {
        let (body, n) = fill(&format!(r##"{GRANT_HEAD}"{field}":["##), item, ",", "]}}");
        let read = measured(name, || parse_token_response(&body));
        if n > 50_000 {
            let e = read.expect_err(name);
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{name}");
            assert!(
                e.message().contains("more than 50000 values"),
                "{name}: {}",
                e.message()
            );
            continue;
        }
        let grant = read.expect(name);
        let text: usize = grant.warnings.iter().map(String::len).sum();
        assert!(
            grant.warnings.len() <= 16 && text <= 4096,
            "{name}: {:?}",
            grant.warnings
        );
        assert!(grant.advertiser_ids.len() + grant.scope.len() <= 10_000, "{name}");
        let said = grant.warnings.join("\n");
        assert!(
            said.contains(&format!("has {n} entries; only the first 10000 were read.")),
            "{name}: {said}"
        );
    }
}

#[test]
fn an_advertiser_list_of_1_mib_is_read_in_bounds() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let call = TokenCall::new(&AccessToken::new("t0ken"), "1", &AppSecret::new("s3cret"), None).unwrap();
    for (name, item) in [
        ("short advertisers", r##"{"advertiser_id":1}"##),
        (
            "named advertisers",
            r##"{"advertiser_id":"7000000000000000001","advertiser_name":"a b c d e f g h i j"}"##,
        ),
        ("members", r##""x":1"##),
    ] {
        let (body, _) = if name == "members" {
            fill(
                r##"{"code":0,"data":{"list":[{"advertiser_id":1,"##,
                item,
                ",",
                "}]}}",
            )
        } else {
            fill(r##"{"code":0,"data":{"list":["##, item, ",", "]}}")
        };
        if let Err(e) = measured(name, || call.read_advertisers(200, &body)) {
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{name}");
        }
    }
}

/// A real-sized answer still reads whole: TikTok's carry a handful of ids, and the largest
/// advertiser list that fits in 1 MiB (about 12 000 named advertisers) is read in full.
#[test]
fn answers_of_tiktoks_shape_are_read_whole() {
    let call = TokenCall::new(&AccessToken::new("t0ken"), "1", &AppSecret::new("s3cret"), None).unwrap();
    let item = r##"{"advertiser_id":"7000000000000000001","advertiser_name":"Shop name of a usual length"}"##;
    let (body, n) = fill(r##"{"code":0,"data":{"list":["##, item, ",", "]}}");
    assert!(n > 10_000, "{n}");
    assert_eq!(call.read_advertisers(200, &body).unwrap().len(), n);
}
