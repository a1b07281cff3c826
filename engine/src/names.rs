//! Maps with fast lookups and deterministic iteration: `NameMap` for names, `VecMap` for a few
//! small keys.

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

/// A map with few keys (a broker's connections, a connection's channels), kept as a sorted
/// vector: a lookup is a short binary search over adjacent keys rather than a walk through
/// tree nodes, and iteration is in key order, as a `BTreeMap`'s.
#[derive(Clone, Debug)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find(&self, k: &K) -> Result<usize, usize> {
        self.items.binary_search_by(|(x, _)| x.cmp(k))
    }
    pub fn get(&self, k: &K) -> Option<&V> {
        self.find(k).ok().map(|i| &self.items[i].1)
    }
    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.find(k).ok().map(|i| &mut self.items[i].1)
    }
    pub fn contains_key(&self, k: &K) -> bool {
        self.find(k).is_ok()
    }
    /// Insert or replace; the value replaced, if any.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, v)),
            Err(i) => {
                self.items.insert(i, (k, v));
                None
            }
        }
    }
    pub fn remove(&mut self, k: &K) -> Option<V> {
        self.find(k).ok().map(|i| self.items.remove(i).1)
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn clear(&mut self) {
        self.items.clear();
    }
    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.items.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }
}

impl<K: Ord, V> std::ops::Index<&K> for VecMap<K, V> {
    type Output = V;
    fn index(&self, k: &K) -> &V {
        self.get(k).expect("key present")
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;
    use std::collections::BTreeMap;

    #[test]
    fn vec_map_behaves_as_a_btree_map() {
        let mut v = VecMap::default();
        let mut b = BTreeMap::new();
        // a fixed pseudo-random walk of inserts, replacements and removals
        let mut x: u32 = 7;
        for step in 0..2_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = (x >> 16) % 40;
            if (x >> 8).is_multiple_of(3) {
                assert_eq!(v.remove(&k), b.remove(&k), "remove {k} at step {step}");
            } else {
                assert_eq!(v.insert(k, step), b.insert(k, step), "insert {k} at step {step}");
            }
            assert_eq!(v.len(), b.len());
            assert_eq!(v.get(&k), b.get(&k));
            assert_eq!(v.contains_key(&(k + 1)), b.contains_key(&(k + 1)));
        }
        assert!(v.iter().eq(b.iter()), "same entries in the same order");
        assert!((&v).into_iter().map(|(k, _)| k).eq(b.keys()));
        for val in v.values_mut() {
            *val += 1;
        }
        assert!(v.values().zip(b.values()).all(|(a, b)| *a == *b + 1));
        v.clear();
        assert!(v.is_empty());
    }
}
