//! Name-keyed maps with fast lookups and deterministic iteration.

use crate::message::Name;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small deterministic hasher (FxHash): the same on every target, no random seed.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(c.try_into().expect("8 bytes"))).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

/// Exchanges and queues by name: hashed lookups on the hot path, and iteration always in name
/// order, so nothing observable depends on hashing.
#[derive(Clone, Debug)]
pub struct NameMap<V> {
    map: HashMap<Name, V, FxBuild>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            map: HashMap::default(),
        }
    }
}

impl<V> NameMap<V> {
    pub fn get(&self, k: &str) -> Option<&V> {
        self.map.get(k)
    }
    pub fn get_mut(&mut self, k: &str) -> Option<&mut V> {
        self.map.get_mut(k)
    }
    pub fn get_key_value(&self, k: &str) -> Option<(&Name, &V)> {
        self.map.get_key_value(k)
    }
    pub fn contains_key(&self, k: &str) -> bool {
        self.map.contains_key(k)
    }
    pub fn insert(&mut self, k: Name, v: V) -> Option<V> {
        self.map.insert(k, v)
    }
    pub fn remove(&mut self, k: &str) -> Option<V> {
        self.map.remove(k)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, &V)> {
        let mut v: Vec<(&Name, &V)> = self.map.iter().collect();
        crate::sort::sort_by(&mut v, |a, b| a.0.cmp(b.0));
        v.into_iter()
    }
    /// Values in name order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }
    /// Names in order.
    pub fn keys(&self) -> impl Iterator<Item = &Name> {
        self.iter().map(|(k, _)| k)
    }
}

impl<V> std::ops::Index<&str> for NameMap<V> {
    type Output = V;
    fn index(&self, k: &str) -> &V {
        &self.map[k]
    }
}
