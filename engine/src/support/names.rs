//! Maps with fast lookups and deterministic iteration: `NameMap` for names, `VecMap` and `VecSet`
//! for a few small keys.

use crate::message::Name;
use std::borrow::Borrow;
use std::cell::Cell;
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
///
/// Entries live in slots; the hash index maps a name to its slot. The slot found last is
/// remembered and tried first: a run of lookups of one name (a publisher's exchange, the queue
/// it feeds) costs a comparison, not a hash. A lookup with a [`Name`] compares addresses only:
/// a thread keeps one copy of each name's text, so a probe at the address and length of the
/// slot's own key is those bytes.
#[derive(Clone, Debug)]
pub struct NameMap<V> {
    index: HashMap<Name, u32, FxBuild>,
    slots: Vec<Option<(Name, V)>>,
    free: Vec<u32>,
    last: Cell<u32>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            index: HashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            last: Cell::new(0),
        }
    }
}

impl<V> NameMap<V> {
    /// The slot holding `k`, if any: the one found last when `k` is its name, else by hash.
    #[inline]
    fn slot(&self, k: &str) -> Option<usize> {
        let i = self.last.get() as usize;
        if let Some(Some((n, _))) = self.slots.get(i) {
            if n.len() == k.len() && (std::ptr::eq(n.as_ptr(), k.as_ptr()) || n.as_bytes() == k.as_bytes()) {
                return Some(i);
            }
        }
        self.hashed(k)
    }
    #[inline(never)]
    fn hashed(&self, k: &str) -> Option<usize> {
        let &i = self.index.get(k)?;
        self.last.set(i);
        Some(i as usize)
    }
    pub fn get(&self, k: &str) -> Option<&V> {
        let i = self.slot(k)?;
        self.slots[i].as_ref().map(|(_, v)| v)
    }
    pub fn get_mut(&mut self, k: &str) -> Option<&mut V> {
        let i = self.slot(k)?;
        self.slots[i].as_mut().map(|(_, v)| v)
    }
    /// The map's own key (the shared name to hold on to) and its value.
    pub fn get_key_value(&self, k: &str) -> Option<(&Name, &V)> {
        let i = self.slot(k)?;
        self.slots[i].as_ref().map(|(n, v)| (n, v))
    }
    pub fn contains_key(&self, k: &str) -> bool {
        self.slot(k).is_some()
    }
    /// Insert or replace (a replaced entry keeps its key); the value replaced, if any.
    pub fn insert(&mut self, k: Name, v: V) -> Option<V> {
        if let Some(i) = self.slot(&k) {
            let (_, old) = self.slots[i].as_mut().expect("indexed slots are full");
            return Some(std::mem::replace(old, v));
        }
        let i = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some((k.clone(), v));
                i
            }
            None => {
                self.slots.push(Some((k.clone(), v)));
                u32::try_from(self.slots.len() - 1).expect("fewer than 2^32 names")
            }
        };
        self.index.insert(k, i);
        None
    }
    pub fn remove(&mut self, k: &str) -> Option<V> {
        let i = self.index.remove(k)?;
        self.free.push(i);
        self.slots[i as usize].take().map(|(_, v)| v)
    }
    pub fn len(&self) -> usize {
        self.index.len()
    }
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
    /// Entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, &V)> {
        let mut v: Vec<(&Name, &V)> = self.slots.iter().flatten().map(|(n, v)| (n, v)).collect();
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
    /// Every value, in no particular order: for a change to each that does not depend on the others.
    pub fn values_mut_unordered(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots.iter_mut().flatten().map(|(_, v)| v)
    }
}

impl<V> std::ops::Index<&str> for NameMap<V> {
    type Output = V;
    fn index(&self, k: &str) -> &V {
        self.get(k).expect("name present")
    }
}

/// A map with few keys (a broker's connections, a connection's channels and consumers, users,
/// vhosts), kept as a sorted vector: a lookup is a short binary search over adjacent keys
/// rather than a walk through tree nodes, and iteration is in key order, as a `BTreeMap`'s.
///
/// It is also small in the page: a `BTreeMap` brings 3–8 KB of wasm for each key and value type
/// it is used with (its node splitting, merging and stealing), a `VecMap` a few hundred bytes.
/// Inserting or removing moves the entries after it, so it is for maps of up to a few thousand
/// entries, or for larger ones whose new keys come last (the timeline's per-message scheduling
/// maps, keyed by message id); the timeline's count of each copy, removed oldest first, is a
/// ring buffer per queue (`timeline::Ring` in the app).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    pub fn new() -> Self {
        VecMap::default()
    }
    #[inline]
    fn find<Q: Ord + ?Sized>(&self, k: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.items.binary_search_by(|(x, _)| x.borrow().cmp(k))
    }
    pub fn get<Q: Ord + ?Sized>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| &self.items[i].1)
    }
    #[inline]
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| &mut self.items[i].1)
    }
    pub fn get_key_value<Q: Ord + ?Sized>(&self, k: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| (&self.items[i].0, &self.items[i].1))
    }
    pub fn contains_key<Q: Ord + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(k).is_ok()
    }
    /// Insert or replace (a replaced entry keeps its key); the value replaced, if any.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, v)),
            Err(i) => {
                self.items.insert(i, (k, v));
                None
            }
        }
    }
    /// The place for `k`, to read or fill (as `BTreeMap::entry`).
    pub fn entry(&mut self, k: K) -> Entry<'_, K, V> {
        let at = self.find(&k);
        Entry { map: self, at, key: k }
    }
    pub fn remove<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| self.items.remove(i).1)
    }
    /// Keep the entries `f` says to keep.
    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| f(k, v));
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
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.items.first().map(|(k, v)| (k, v))
    }
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.items.last().map(|(k, v)| (k, v))
    }
    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.items.iter().map(|(k, v)| (k, v))
    }
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.items.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.items.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.items.iter_mut().map(|(_, v)| v)
    }
}

/// A key's place in a [`VecMap`]: its entry, or where it would go.
pub struct Entry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    at: Result<usize, usize>,
    key: K,
}

impl<'a, K, V> Entry<'a, K, V> {
    /// The value, `f()` inserted first if there was none.
    pub fn or_insert_with(self, f: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.map.items.insert(i, (self.key, f()));
                i
            }
        };
        &mut self.map.items[i].1
    }
    pub fn or_insert(self, v: V) -> &'a mut V {
        self.or_insert_with(|| v)
    }
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, k: &Q) -> &V {
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

impl<K: Ord, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Inserted one by one, as a `BTreeMap` collects: the last value for a key wins.
impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = VecMap::default();
        m.extend(iter);
        m
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(a: [(K, V); N]) -> Self {
        a.into_iter().collect()
    }
}

/// A set with few members, as a [`VecMap`] to nothing: iteration in order, as a `BTreeSet`'s.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VecSet<K> {
    map: VecMap<K, ()>,
}

impl<K> Default for VecSet<K> {
    fn default() -> Self {
        VecSet { map: VecMap::default() }
    }
}

impl<K: Ord> VecSet<K> {
    pub fn new() -> Self {
        VecSet::default()
    }
    /// True when `k` was not a member.
    pub fn insert(&mut self, k: K) -> bool {
        self.map.insert(k, ()).is_none()
    }
    /// True when `k` was a member.
    pub fn remove<Q: Ord + ?Sized>(&mut self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.remove(k).is_some()
    }
    pub fn contains<Q: Ord + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.contains_key(k)
    }
    pub fn retain(&mut self, mut f: impl FnMut(&K) -> bool) {
        self.map.retain(|k, _| f(k));
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    pub fn clear(&mut self) {
        self.map.clear();
    }
    pub fn first(&self) -> Option<&K> {
        self.map.first_key_value().map(|(k, _)| k)
    }
    pub fn last(&self) -> Option<&K> {
        self.map.last_key_value().map(|(k, _)| k)
    }
    /// Take the least member out.
    pub fn pop_first(&mut self) -> Option<K> {
        if self.map.items.is_empty() {
            return None;
        }
        Some(self.map.items.remove(0).0)
    }
    /// Members in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.map.keys()
    }
}

impl<'a, K: Ord> IntoIterator for &'a VecSet<K> {
    type Item = &'a K;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, ())>, fn(&'a (K, ())) -> &'a K>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.items.iter().map(|(k, _)| k)
    }
}

impl<K: Ord> IntoIterator for VecSet<K> {
    type Item = K;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(K, ())>, fn((K, ())) -> K>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.items.into_iter().map(|(k, _)| k)
    }
}

impl<K: Ord> Extend<K> for VecSet<K> {
    fn extend<I: IntoIterator<Item = K>>(&mut self, iter: I) {
        for k in iter {
            self.insert(k);
        }
    }
}

impl<K: Ord> FromIterator<K> for VecSet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        let mut s = VecSet::default();
        s.extend(iter);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::{NameMap, VecMap, VecSet};
    use crate::message::Name;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn name_map_behaves_as_a_btree_map_whatever_name_it_is_asked_with() {
        let mut m = NameMap::default();
        let mut b = BTreeMap::new();
        // the map's own names (kept from the last insert of each), to probe with as the broker
        // does with a binding's queue; and fresh copies of the same text
        let mut own: BTreeMap<String, Name> = BTreeMap::new();
        let mut x: u32 = 11;
        for step in 0..4_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let text = format!("q{}", (x >> 16) % 30);
            let fresh: Name = text.as_str().into();
            match (x >> 8) % 5 {
                0 => {
                    assert_eq!(m.remove(&text), b.remove(&text), "remove {text} at step {step}");
                    own.remove(&text);
                }
                1 | 2 => {
                    if !own.contains_key(&text) {
                        own.insert(text.clone(), fresh.clone());
                    }
                    assert_eq!(
                        m.insert(fresh, step),
                        b.insert(text.clone(), step),
                        "insert {text} at step {step}"
                    );
                }
                _ => {
                    let probe = own.get(&text).cloned().unwrap_or(fresh);
                    assert_eq!(m.get(&probe), b.get(&text), "get {text} at step {step}");
                    if let Some(v) = m.get_mut(&probe) {
                        *v += 1;
                        *b.get_mut(&text).expect("same keys") += 1;
                    }
                }
            }
            assert_eq!(m.len(), b.len());
            // the slot found last must not answer for another name
            let other = format!("q{}", (x >> 4) % 30);
            assert_eq!(m.contains_key(&other), b.contains_key(&other), "{other} at step {step}");
        }
        assert!(m
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .eq(b.iter().map(|(k, v)| (k.clone(), *v))));
        for (k, kept) in &own {
            let (key, _) = m.get_key_value(k).expect("present");
            assert_eq!(key, kept, "the key of a replaced entry");
        }
    }

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

    #[test]
    fn vec_map_entries_order_and_collecting_are_a_btree_maps() {
        let mut v: VecMap<String, u32> = VecMap::new();
        let mut b: BTreeMap<String, u32> = BTreeMap::new();
        let mut x: u32 = 3;
        for step in 0..2_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = format!("k{}", (x >> 16) % 25);
            match (x >> 8) % 4 {
                0 => *v.entry(k.clone()).or_default() += step,
                1 => *v.entry(k.clone()).or_insert(7) += 1,
                2 => {
                    v.retain(|_, n| *n % 3 != 0);
                    b.retain(|_, n| *n % 3 != 0);
                    continue;
                }
                _ => {
                    assert_eq!(v.get(k.as_str()), b.get(k.as_str()), "a borrowed key at step {step}");
                    continue;
                }
            }
            match (x >> 8) % 4 {
                0 => *b.entry(k).or_default() += step,
                _ => *b.entry(k).or_insert(7) += 1,
            }
        }
        assert!(v.iter().eq(b.iter()));
        assert_eq!(v.first_key_value(), b.first_key_value());
        assert_eq!(v.last_key_value(), b.last_key_value());
        // the last value for a key wins, as when a BTreeMap collects
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        let c: VecMap<&str, i32> = pairs.into_iter().collect();
        let d: BTreeMap<&str, i32> = pairs.into_iter().collect();
        assert!(c.iter().eq(d.iter()));
        // maps compare as their entries in order do
        let e: VecMap<&str, i32> = [("a", 2), ("c", 0)].into();
        let f: BTreeMap<&str, i32> = [("a", 2), ("c", 0)].into();
        assert_eq!(c.cmp(&e), d.cmp(&f));
        assert_eq!(c.into_iter().collect::<Vec<_>>(), d.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn a_name_finds_its_entry_as_a_name_or_as_text() {
        let names: Vec<Name> = ["a", "b", "c", "d", "e"].iter().map(|&n| n.into()).collect();
        let mut m: VecMap<Name, u32> = names.iter().cloned().zip(0..).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(m.get_mut(n).copied(), Some(i as u32), "the map's own {n}");
            let text: String = n.to_string();
            assert_eq!(m.get_mut(text.as_str()).copied(), Some(i as u32), "{n} as text");
        }
        assert_eq!(m.get_mut(&Name::from("f")), None);
        assert_eq!(m.get_mut(""), None);
    }

    #[test]
    fn vec_set_behaves_as_a_btree_set() {
        let mut v = VecSet::new();
        let mut b = BTreeSet::new();
        let mut x: u32 = 5;
        for step in 0..2_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = ((x >> 16) % 50, (x >> 4) % 3);
            match (x >> 8) % 4 {
                0 => assert_eq!(v.remove(&k), b.remove(&k), "remove at step {step}"),
                1 => assert_eq!(v.pop_first(), b.pop_first(), "pop_first at step {step}"),
                _ => assert_eq!(v.insert(k), b.insert(k), "insert at step {step}"),
            }
            assert_eq!(v.len(), b.len());
            assert_eq!(v.first(), b.first());
            assert_eq!(v.last(), b.last());
            assert_eq!(v.contains(&k), b.contains(&k));
        }
        assert!(v.iter().eq(b.iter()));
        v.retain(|k| k.1 == 0);
        b.retain(|k| k.1 == 0);
        assert!(v.into_iter().eq(b.into_iter()));
    }
}
