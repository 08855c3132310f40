//! kwok's pod IP pools: one per CIDR string, handing out addresses for `PodIP`,
//! `PodIPWith` and `PodIPsWith`.
//!
//! kwok bases a pool on the address exactly as written in the CIDR (not the network
//! address), hands out addresses one after the other starting just after it, reuses
//! released addresses first, and never checks the subnet's upper bound. Every render that
//! calls a pod IP function allocates. Which addresses go back to the pool is the loop's
//! decision (a deleted pod releases its IPs).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// A CIDR kwok could not parse; the IP functions then fall back to the node IP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CidrError {
    pub cidr: String,
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid CIDR address: {}", self.cidr)
    }
}

impl std::error::Error for CidrError {}

/// One pool. Addresses are kept as offsets from the base so that IPv4 and IPv6 share code.
#[derive(Clone, Debug)]
pub struct IpPool {
    base: u128,
    v6: bool,
    prefix: u8,
    /// The offset the next new address is taken from.
    index: u128,
    used: BTreeSet<u128>,
    /// Released addresses, handed out again before new ones (smallest first; kwok's order
    /// is Go's map order, which is arbitrary).
    usable: BTreeSet<u128>,
}

impl IpPool {
    pub fn new(cidr: &str) -> Result<IpPool, CidrError> {
        let error = || CidrError {
            cidr: cidr.to_string(),
        };
        let (address, prefix) = cidr.split_once('/').ok_or_else(error)?;
        let address: IpAddr = address.parse().map_err(|_| error())?;
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) || prefix.len() > 3 {
            return Err(error());
        }
        let prefix: u8 = prefix.parse().map_err(|_| error())?;
        let (base, v6, bits) = match address {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), false, 32),
            IpAddr::V6(v6) => (u128::from(v6), true, 128),
        };
        if prefix > bits {
            return Err(error());
        }
        Ok(IpPool {
            base,
            v6,
            prefix,
            index: 1,
            used: BTreeSet::new(),
            usable: BTreeSet::new(),
        })
    }

    /// The next address: a released one if any, else the next one after the base that is
    /// not in use.
    pub fn get(&mut self) -> String {
        let bits = if self.v6 {
            u128::MAX
        } else {
            u128::from(u32::MAX)
        };
        let value = match self.usable.pop_first() {
            Some(value) => value,
            None => loop {
                let value = self.base.wrapping_add(self.index) & bits;
                self.index = self.index.wrapping_add(1);
                if !self.used.contains(&value) {
                    break value;
                }
            },
        };
        self.used.insert(value);
        self.format(value)
    }

    /// Marks an address as in use (a pod that already carries it).
    pub fn use_ip(&mut self, ip: &str) {
        if let Some(value) = self.parse_inside(ip) {
            self.usable.remove(&value);
            self.used.insert(value);
        }
    }

    /// Gives an address back; addresses outside the CIDR are ignored, as kwok does.
    pub fn release(&mut self, ip: &str) {
        if let Some(value) = self.parse_inside(ip)
            && self.used.remove(&value)
        {
            self.usable.insert(value);
        }
    }

    fn parse_inside(&self, ip: &str) -> Option<u128> {
        let value = match ip.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) if !self.v6 => u128::from(u32::from(v4)),
            IpAddr::V6(v6) if self.v6 => u128::from(v6),
            _ => return None,
        };
        let bits = if self.v6 { 128 } else { 32 };
        let host_bits = u32::from(bits - self.prefix);
        let mask = if host_bits >= 128 {
            0
        } else {
            u128::MAX << host_bits
        };
        (value & mask == self.base & mask).then_some(value)
    }

    fn format(&self, value: u128) -> String {
        if self.v6 {
            Ipv6Addr::from(value).to_string()
        } else {
            dotted_decimal(value as u32)
        }
    }
}

/// An IPv4 address as four decimal octets, the text `Ipv4Addr`'s `Display` and Go's
/// `net.IP.String()` give, written without the formatting machinery (every pod IP is one).
fn dotted_decimal(address: u32) -> String {
    let mut text = String::with_capacity(15);
    for (i, octet) in address.to_be_bytes().into_iter().enumerate() {
        if i > 0 {
            text.push('.');
        }
        if octet >= 100 {
            text.push(char::from(b'0' + octet / 100));
        }
        if octet >= 10 {
            text.push(char::from(b'0' + octet / 10 % 10));
        }
        text.push(char::from(b'0' + octet % 10));
    }
    text
}

/// Every pool of a controller, by CIDR string as written.
#[derive(Clone, Debug, Default)]
pub struct IpPools {
    pools: BTreeMap<String, IpPool>,
}

impl IpPools {
    pub fn new() -> IpPools {
        IpPools::default()
    }

    /// The next address of the pool for `cidr`, creating the pool on first use.
    pub fn get(&mut self, cidr: &str) -> Result<String, CidrError> {
        Ok(self.pool(cidr)?.get())
    }

    pub fn pool(&mut self, cidr: &str) -> Result<&mut IpPool, CidrError> {
        if !self.pools.contains_key(cidr) {
            let pool = IpPool::new(cidr)?;
            self.pools.insert(cidr.to_string(), pool);
        }
        self.pools.get_mut(cidr).ok_or_else(|| CidrError {
            cidr: cidr.to_string(),
        })
    }

    /// Gives `ip` back to the pool of `cidr`, if that pool exists.
    pub fn release(&mut self, cidr: &str, ip: &str) {
        if let Some(pool) = self.pools.get_mut(cidr) {
            pool.release(ip);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn first(cidr: &str) -> String {
        IpPool::new(cidr).unwrap().get()
    }

    fn take(pool: &mut IpPool, n: usize) -> Vec<String> {
        (0..n).map(|_| pool.get()).collect()
    }

    #[test]
    fn base_is_the_address_as_written() {
        assert_eq!(first("10.0.0.0/24"), "10.0.0.1");
        assert_eq!(first("10.100.0.0/24"), "10.100.0.1");
        assert_eq!(first("172.30.40.0/24"), "172.30.40.1");
        assert_eq!(first("10.0.0.5/24"), "10.0.0.6");
        assert_eq!(first("2001:db8::/64"), "2001:db8::1");
        assert_eq!(first("fd00::10/120"), "fd00::11");
    }

    #[test]
    fn sequential_without_upper_bound() {
        let mut pool = IpPool::new("10.0.0.0/24").unwrap();
        assert_eq!(take(&mut pool, 3), ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
        let mut pool = IpPool::new("10.0.0.254/30").unwrap();
        assert_eq!(take(&mut pool, 3), ["10.0.0.255", "10.0.1.0", "10.0.1.1"]);
        let mut pool = IpPool::new("2001:db8::fffe/127").unwrap();
        assert_eq!(take(&mut pool, 2), ["2001:db8::ffff", "2001:db8::1:0"]);
    }

    #[test]
    fn released_addresses_come_back_first() {
        let mut pool = IpPool::new("10.0.0.0/24").unwrap();
        assert_eq!(take(&mut pool, 3), ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
        pool.release("10.0.0.2");
        assert_eq!(pool.get(), "10.0.0.2");
        assert_eq!(pool.get(), "10.0.0.4");
    }

    #[test]
    fn release_ignores_addresses_outside_the_cidr_or_not_in_use() {
        let mut pool = IpPool::new("10.0.0.0/24").unwrap();
        pool.get();
        pool.release("10.0.1.1");
        pool.release("10.0.0.9");
        pool.release("::1");
        assert_eq!(pool.get(), "10.0.0.2");
    }

    #[test]
    fn addresses_in_use_are_skipped() {
        let mut pool = IpPool::new("10.0.0.0/24").unwrap();
        pool.use_ip("10.0.0.1");
        pool.use_ip("10.0.0.3");
        assert_eq!(take(&mut pool, 2), ["10.0.0.2", "10.0.0.4"]);
    }

    #[test]
    fn bad_cidrs() {
        for cidr in [
            "",
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/24",
            "x/24",
            "10.0.0.0/",
            "::/129",
        ] {
            assert!(IpPool::new(cidr).is_err(), "{cidr}");
        }
        assert_eq!(
            IpPool::new("nope").unwrap_err().to_string(),
            "invalid CIDR address: nope"
        );
    }

    #[test]
    fn dotted_decimal_is_the_standard_text() {
        // Every octet value in every place, and a spread of mixed addresses.
        let octets = (0..=255u32).map(|octet| octet * 0x0101_0101);
        let spread = (0..=u32::MAX).step_by(9_973_711);
        for address in octets.chain(spread).chain([0x0a00_0001, 0x0064_0a09]) {
            assert_eq!(
                dotted_decimal(address),
                Ipv4Addr::from(address).to_string(),
                "{address:#x}"
            );
        }
    }

    #[test]
    fn one_pool_per_cidr_string() {
        let mut pools = IpPools::new();
        assert_eq!(pools.get("10.0.0.0/24").unwrap(), "10.0.0.1");
        assert_eq!(pools.get("10.0.0.0/24").unwrap(), "10.0.0.2");
        assert_eq!(pools.get("10.0.0.0/16").unwrap(), "10.0.0.1");
        pools.release("10.0.0.0/24", "10.0.0.1");
        assert_eq!(pools.get("10.0.0.0/24").unwrap(), "10.0.0.1");
        assert!(pools.get("bad").is_err());
    }
}
