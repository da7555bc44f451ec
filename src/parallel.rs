//! Work spread over threads: one per core for rendering, a few more for
//! deliveries that mostly wait on the network.

use anyhow::{Result, anyhow};

/// Threads worth running for CPU work: one per core.
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// `f` over `items` on up to `threads` threads, results in order.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let size = items.len().div_ceil(threads.max(1));
    std::thread::scope(|scope| {
        let f = &f;
        let workers: Vec<_> = items
            .chunks(size)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for worker in workers {
            results.extend(
                worker
                    .join()
                    .map_err(|_| anyhow!("a worker thread crashed"))?,
            );
        }
        Ok(results)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn results_keep_their_order() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(
            super::map(&items, 3, |n| n * 2).unwrap(),
            items.iter().map(|n| n * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u32], 4, |n| *n).unwrap().is_empty());
    }
}
