//! Topic exchange matching (semantics §3): words split on `.`, `*` is one word, `#` zero or more.
//!
//! [`TopicTrie`] indexes binding keys word by word, so routing visits only the trie nodes a routing
//! key can reach: its cost does not grow with the number of bindings that cannot match.

use crate::names::FxBuild;
use std::collections::HashMap;

/// Children by word: only ever looked up, never iterated, so hash order is never observable.
type Children = HashMap<Box<str>, u32, FxBuild>;

/// Split a key into words: `""` is zero words, any other string of n dots has n+1 words.
pub fn words(key: &str) -> Vec<&str> {
    if key.is_empty() {
        Vec::new()
    } else {
        key.split('.').collect()
    }
}

/// The reference matcher (semantics §3.1): true when `binding` matches `routing`.
pub fn matches(binding: &str, routing: &str) -> bool {
    fn go(b: &[&str], r: &[&str]) -> bool {
        match (b.first(), r.first()) {
            (None, None) => true,
            (Some(&"#"), _) if b.len() == 1 => true,
            (Some(&"#"), _) => go(&b[1..], r) || (!r.is_empty() && go(b, &r[1..])),
            (Some(&"*"), Some(_)) => go(&b[1..], &r[1..]),
            (Some(w), Some(x)) if w == x => go(&b[1..], &r[1..]),
            _ => false,
        }
    }
    go(&words(binding), &words(routing))
}

/// A trie of binding keys; each node holds the destinations bound with the key that ends there.
#[derive(Clone, Debug)]
pub struct TopicTrie<D: Ord + Clone> {
    nodes: Vec<Node<D>>,
    free: Vec<u32>,
}

#[derive(Clone, Debug)]
struct Node<D> {
    children: Children,
    /// Destinations with how many bindings (differing only in arguments) lead to each.
    dests: crate::names::VecMap<D, u32>,
}

impl<D> Node<D> {
    fn new() -> Self {
        Node {
            children: Children::default(),
            dests: Default::default(),
        }
    }
}

impl<D: Ord + Clone> Default for TopicTrie<D> {
    fn default() -> Self {
        TopicTrie {
            nodes: vec![Node::new()],
            free: Vec::new(),
        }
    }
}

impl<D: Ord + Clone> TopicTrie<D> {
    pub fn insert(&mut self, key: &str, dest: D) {
        let mut n = 0u32;
        for w in words(key) {
            n = match self.nodes[n as usize].children.get(w) {
                Some(&c) => c,
                None => {
                    let c = match self.free.pop() {
                        Some(c) => {
                            self.nodes[c as usize] = Node::new();
                            c
                        }
                        None => {
                            self.nodes.push(Node::new());
                            (self.nodes.len() - 1) as u32
                        }
                    };
                    self.nodes[n as usize].children.insert(w.into(), c);
                    c
                }
            };
        }
        *self.nodes[n as usize].dests.entry(dest).or_insert(0) += 1;
    }

    pub fn remove(&mut self, key: &str, dest: &D) {
        let ws = words(key);
        let mut path = vec![0u32];
        for w in &ws {
            match self.nodes[*path.last().unwrap() as usize].children.get(*w) {
                Some(&c) => path.push(c),
                None => return,
            }
        }
        let last = *path.last().unwrap() as usize;
        if let Some(c) = self.nodes[last].dests.get_mut(dest) {
            *c -= 1;
            if *c == 0 {
                self.nodes[last].dests.remove(dest);
            }
        }
        // prune empty nodes back toward the root
        for i in (1..path.len()).rev() {
            let n = path[i] as usize;
            if self.nodes[n].dests.is_empty() && self.nodes[n].children.is_empty() {
                self.nodes[path[i - 1] as usize].children.remove(ws[i - 1]);
                self.free.push(path[i]);
            } else {
                break;
            }
        }
    }

    /// Every destination whose binding key matches `routing_key`, each once, in order.
    pub fn route(&self, routing_key: &str, out: &mut Vec<D>) {
        let ws = words(routing_key);
        let start = out.len();
        let mut seen_hash: Vec<(u32, usize)> = Vec::new();
        self.walk(0, &ws, 0, out, &mut seen_hash);
        crate::sort::heapsort(&mut out[start..]);
        let mut w = start;
        for r in start..out.len() {
            if w == start || out[w - 1] != out[r] {
                out.swap(w, r);
                w += 1;
            }
        }
        out.truncate(w);
    }

    fn walk(&self, n: u32, ws: &[&str], i: usize, out: &mut Vec<D>, seen_hash: &mut Vec<(u32, usize)>) {
        let node = &self.nodes[n as usize];
        if i == ws.len() {
            out.extend(node.dests.keys().cloned());
        } else {
            if let Some(&c) = node.children.get(ws[i]) {
                self.walk(c, ws, i + 1, out, seen_hash);
            }
            if let Some(&c) = node.children.get("*") {
                self.walk(c, ws, i + 1, out, seen_hash);
            }
        }
        if let Some(&c) = node.children.get("#") {
            // `#` absorbs zero or more words: try every split once (memoised: polynomial, unlike
            // 3.10's matcher, with the same answers).
            for j in i..=ws.len() {
                if seen_hash.contains(&(c, j)) {
                    continue;
                }
                seen_hash.push((c, j));
                self.walk(c, ws, j, out, seen_hash);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        let root = &self.nodes[0];
        root.children.is_empty() && root.dests.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn words_follow_rabbitmq() {
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words("."), vec!["", ""]);
        assert_eq!(words("a."), vec!["a", ""]);
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn trie_agrees_with_reference_and_dedups() {
        let mut t = TopicTrie::default();
        for (i, k) in ["#", "a.#", "a.*", "*.b", "a.b", "#.b", "a.#.b"].iter().enumerate() {
            t.insert(k, i);
        }
        t.insert("a.b", 4); // a second binding to the same destination: still one copy
        let mut out = Vec::new();
        t.route("a.b", &mut out);
        assert_eq!(out, vec![0, 1, 2, 3, 4, 5, 6]);
        t.remove("a.b", &4);
        out.clear();
        t.route("a.b", &mut out);
        assert!(out.contains(&4), "one of the two bindings is left");
        t.remove("a.b", &4);
        out.clear();
        t.route("a.b", &mut out);
        assert!(!out.contains(&4));
    }
}
