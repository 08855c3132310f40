//! Where a run's randomness comes from: a seeded generator, or draws recorded from kwok.
//!
//! kwok draws twice per play: the weighted pick among several matching Stages and the
//! delay inside a jitter range. A seeded PCG generator gives runs that repeat for the same
//! seed on every platform; nothing here reads the platform's entropy. Go's random source
//! cannot be reproduced, so the golden cases carry kwok's own pick and delay per play,
//! and [`Replay`] hands them back in order.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

/// A seeded generator of uniform integers.
#[derive(Clone, Debug)]
pub struct Seeded {
    rng: Pcg64,
}

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded {
            rng: Pcg64::seed_from_u64(seed),
        }
    }

    /// The next raw 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform integer in `[0, n)`; 0 when `n` is 0.
    ///
    /// Lemire's multiply-and-reject method: no modulo bias, and usually one draw.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let wide = u128::from(self.rng.next_u64()) * u128::from(n);
            let low = wide as u64;
            if low >= threshold {
                return (wide >> 64) as u64;
            }
        }
    }
}

impl crate::weight::Chance for Seeded {
    fn below(&mut self, n: u64) -> u64 {
        Seeded::below(self, n)
    }
}

/// One recorded play: the Stage kwok picked and the time from match to play.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    pub stage: String,
    pub delay_ns: i64,
}

/// Recorded draws, handed out one per play.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    draws: Vec<Draw>,
    next: usize,
}

impl Replay {
    pub fn new(draws: Vec<Draw>) -> Replay {
        Replay { draws, next: 0 }
    }

    /// The next recorded play, or `None` when the recording has run out.
    pub fn next_draw(&mut self) -> Option<&Draw> {
        let draw = self.draws.get(self.next)?;
        self.next += 1;
        Some(draw)
    }

    /// How many draws were handed out.
    pub fn used(&self) -> usize {
        self.next
    }
}

/// The source a run uses.
#[derive(Clone, Debug)]
pub enum Source {
    Seeded(Seeded),
    Replay(Replay),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        let mut a = Seeded::new(7);
        let mut b = Seeded::new(7);
        let xs: Vec<u64> = (0..20).map(|_| a.below(1000)).collect();
        let ys: Vec<u64> = (0..20).map(|_| b.below(1000)).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn other_seed_other_numbers() {
        let mut a = Seeded::new(1);
        let mut b = Seeded::new(2);
        let xs: Vec<u64> = (0..20).map(|_| a.below(1 << 40)).collect();
        let ys: Vec<u64> = (0..20).map(|_| b.below(1 << 40)).collect();
        assert_ne!(xs, ys);
    }

    #[test]
    fn below_stays_in_range() {
        let mut a = Seeded::new(3);
        for n in [1, 2, 3, 10, 4_000_000_000, u64::MAX] {
            for _ in 0..200 {
                assert!(a.below(n) < n);
            }
        }
        assert_eq!(a.below(0), 0);
        assert_eq!(a.below(1), 0);
    }

    #[test]
    fn below_is_roughly_uniform() {
        let mut a = Seeded::new(11);
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            counts[a.below(4) as usize] += 1;
        }
        for count in counts {
            assert!((9_000..11_000).contains(&count), "{counts:?}");
        }
    }

    #[test]
    fn replay_hands_out_in_order_then_runs_out() {
        let mut replay = Replay::new(vec![
            Draw {
                stage: "a".into(),
                delay_ns: 1,
            },
            Draw {
                stage: "b".into(),
                delay_ns: 2,
            },
        ]);
        assert_eq!(
            replay.next_draw().map(|d| d.stage.clone()),
            Some("a".into())
        );
        assert_eq!(replay.next_draw().map(|d| d.delay_ns), Some(2));
        assert_eq!(replay.next_draw(), None);
        assert_eq!(replay.used(), 2);
    }
}
