//! [`Name`]: an interned name (exchange, queue, routing key, consumer tag, user).
//!
//! A name's text is stored once per thread and never freed; a `Name` is a pointer to it. Cloning
//! and dropping one is copying a pointer (no reference count to touch), and two names are equal
//! exactly when they point at the same text, so comparing them for equality is one comparison.
//! Names sort by their text, and hash as their text does (a `Name` looks up a `str` key and the
//! reverse), so nothing observable depends on the order names were first seen in.
//!
//! The texts a thread has seen stay for the thread's life: a simulation meets few distinct names
//! (a scenario run again makes the same ones again, its generated names coming from its seed).
//! A `Name` is neither `Send` nor `Sync`: its equality holds within the thread that made it.

use crate::names::FxBuild;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;

/// A name's text, kept for the thread's life.
struct Text {
    text: Box<str>,
}

thread_local! {
    /// Every text this thread has made a `Name` of.
    static TEXTS: RefCell<HashMap<&'static str, &'static Text, FxBuild>> = RefCell::new(HashMap::default());
}

/// An interned name: cheap to clone, compared for equality by identity, ordered and hashed by its
/// text (see the module's documentation).
#[derive(Clone)]
pub struct Name(&'static Text, PhantomData<*const ()>);

impl Name {
    /// The name with this text (made once per thread, shared after that).
    pub fn new(s: &str) -> Name {
        TEXTS.with(|t| {
            let mut texts = t.borrow_mut();
            if let Some(&text) = texts.get(s) {
                return Name(text, PhantomData);
            }
            let text: &'static Text = Box::leak(Box::new(Text { text: s.into() }));
            texts.insert(&text.text, text);
            Name(text, PhantomData)
        })
    }

    /// How many texts this thread keeps (what its names cost in memory grows with this).
    pub fn interned() -> usize {
        TEXTS.with(|t| t.borrow().len())
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.0.text
    }
}

impl Deref for Name {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        &self.0.text
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for Name {
    /// One text per thread: the same text is the same pointer.
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> Ordering {
        if self == other {
            Ordering::Equal
        } else {
            self.as_str().cmp(other.as_str())
        }
    }
}

impl Hash for Name {
    /// As its text hashes (`Borrow<str>` asks for that).
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl Default for Name {
    fn default() -> Name {
        Name::new("")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name::new(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use std::collections::{BTreeSet, HashMap};

    #[test]
    fn one_text_one_name() {
        let a = Name::from("orders");
        let b = Name::from(String::from("orders"));
        let c = Name::from("order");
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str().as_ptr(), b.as_str().as_ptr()));
        assert_ne!(a, c);
        assert_eq!(&*a, "orders");
        assert_eq!(a.to_string(), "orders");
        assert_eq!(format!("{a:?}"), "\"orders\"");
        assert_eq!(Name::default().len(), 0);
    }

    #[test]
    fn order_and_hash_follow_the_text() {
        // made in reverse order: the set still sorts by text
        let names: BTreeSet<Name> = ["z", "b", "a", "ab", ""].into_iter().map(Name::from).collect();
        let texts: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
        assert_eq!(texts, ["", "a", "ab", "b", "z"]);
        let mut m: HashMap<Name, u32> = HashMap::new();
        m.insert("q".into(), 1);
        assert_eq!(m.get("q"), Some(&1));
        assert_eq!(m.get(&Name::from("q")), Some(&1));
    }
}
