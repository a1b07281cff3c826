//! Users, virtual hosts and permissions: RabbitMQ's internal authentication and authorisation
//! backend (`rabbit_auth_backend_internal`), and the `rabbitmqctl` commands that change it.
//!
//! A permission is three regular expressions per user and virtual host (configure, write, read),
//! matched anywhere in a resource's name (Erlang's `re:run`, unanchored); an empty expression
//! allows nothing (RabbitMQ reads it as `^$`). The default exchange is checked as `amq.default`.
//! Errors are `rabbitmqctl`'s: its exit status and the text it prints after `Error:`.

use crate::names::{VecMap, VecSet};
use crate::pcre::Regex;
use crate::version::Version;
use std::fmt;
use std::rc::Rc;

/// One of the three kinds of access (`rabbit_access_control`'s `configure | write | read`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Perm {
    Configure,
    Write,
    Read,
}

/// A permission's regular expression, compiled once.
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    /// `None` for `.*`, which matches every name (the common case, checked without a regex).
    re: Option<Regex>,
}

impl Pattern {
    /// Compile `source` as `set_permissions` does on 3.10; an invalid expression is refused
    /// with rabbitmqctl's `{:invalid_regexp, …}` error.
    pub fn new(source: &str) -> Result<Pattern, CtlError> {
        Pattern::with_version(source, Version::V3_10)
    }

    /// [`Pattern::new`] on RabbitMQ `version`: 4.x runs on Erlang 29, whose `re` is PCRE2, and
    /// its rabbitmqctl prints Erlang strings as `~c"…"` (`node/pcre/pcre2.rs`).
    pub fn with_version(source: &str, version: Version) -> Result<Pattern, CtlError> {
        if source == ".*" {
            return Ok(Pattern::any());
        }
        Pattern::compile(source, version)
    }

    /// `.*`: every name.
    fn any() -> Pattern {
        Pattern {
            source: ".*".to_string(),
            re: None,
        }
    }

    #[inline(never)]
    fn compile(source: &str, version: Version) -> Result<Pattern, CtlError> {
        let effective = if source.is_empty() { "^$" } else { source };
        let compiled = if version.four() {
            crate::pcre::pcre2::compile(effective)
        } else {
            Regex::new(effective)
        };
        match compiled {
            Ok(re) => Ok(Pattern {
                source: source.to_string(),
                re: Some(re),
            }),
            // `re:compile/1`'s `{error, {Message, Offset}}`, as rabbitmqctl prints the throw
            Err(e) => Err(CtlError::new(
                69,
                format!(
                    "{{:invalid_regexp, {}, {{{}, {}}}}}",
                    charlist(source, version),
                    charlist(&e.message, version),
                    e.offset
                ),
            )),
        }
    }

    /// Does the expression match somewhere in `name`?
    pub fn matches(&self, name: &str) -> bool {
        match &self.re {
            None => true,
            Some(re) => re.is_match(name),
        }
    }

    /// The expression as the user wrote it.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// An Erlang string as Elixir's `inspect` prints it in rabbitmqctl's errors: `'text'`, with `\\`
/// and `'` escaped.
/// (4.x's Elixir prints it as a sigil: `~c"text"`, with `\\` and `"` escaped.)
fn charlist(s: &str, version: Version) -> String {
    let s = s.replace('\\', "\\\\");
    if version.four() {
        format!("~c\"{}\"", s.replace('"', "\\\""))
    } else {
        format!("'{}'", s.replace('\'', "\\'"))
    }
}

/// A user's permissions in one virtual host.
#[derive(Clone, Debug)]
pub struct Permissions {
    pub configure: Pattern,
    pub write: Pattern,
    pub read: Pattern,
}

impl Permissions {
    /// `.* .* .*`: everything (guest's on `/`).
    pub fn all() -> Permissions {
        let any = Pattern::any();
        Permissions {
            configure: any.clone(),
            write: any.clone(),
            read: any,
        }
    }

    pub fn new(configure: &str, write: &str, read: &str) -> Result<Permissions, CtlError> {
        Permissions::with_version(configure, write, read, Version::V3_10)
    }

    /// [`Permissions::new`] as RabbitMQ `version` compiles them.
    pub fn with_version(configure: &str, write: &str, read: &str, version: Version) -> Result<Permissions, CtlError> {
        Ok(Permissions {
            configure: Pattern::with_version(configure, version)?,
            write: Pattern::with_version(write, version)?,
            read: Pattern::with_version(read, version)?,
        })
    }

    /// May `perm` be used on a resource named `name`?
    pub fn allows(&self, perm: Perm, name: &str) -> bool {
        match perm {
            Perm::Configure => self.configure.matches(name),
            Perm::Write => self.write.matches(name),
            Perm::Read => self.read.matches(name),
        }
    }
}

/// A user of the internal backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub password: String,
    pub tags: Vec<String>,
}

/// A failed `rabbitmqctl` command: its exit status and what it prints after `Error:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CtlError {
    pub status: i32,
    pub text: String,
}

impl CtlError {
    pub fn new(status: i32, text: impl Into<String>) -> CtlError {
        CtlError {
            status,
            text: text.into(),
        }
    }
    fn no_user(name: &str, quoted: bool) -> CtlError {
        if quoted {
            CtlError::new(67, format!("User \"{name}\" does not exist"))
        } else {
            CtlError::new(67, format!("User {name} does not exist"))
        }
    }
    fn no_vhost(name: &str) -> CtlError {
        CtlError::new(69, format!("Virtual host {name} does not exist"))
    }
}

impl fmt::Display for CtlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Why a connection was refused while it opened (pika's ProbableAuthenticationError /
/// ProbableAccessDeniedError): the `connection.close` the broker sent.
pub fn login_refused() -> crate::AmqpError {
    crate::AmqpError::access_refused(
        "Login was refused using authentication mechanism PLAIN. For details see the broker logfile.",
    )
}

/// Users, virtual hosts and permissions, as a fresh broker has them: user `guest` (password
/// `guest`, tag `administrator`) with `.* .* .*` on vhost `/`.
#[derive(Clone, Debug)]
pub struct Access {
    users: VecMap<String, User>,
    vhosts: VecSet<String>,
    /// (user, vhost) → permissions.
    perms: VecMap<(String, String), Rc<Permissions>>,
}

impl Default for Access {
    fn default() -> Access {
        let mut a = Access {
            users: VecMap::new(),
            vhosts: VecSet::new(),
            perms: VecMap::new(),
        };
        a.users.insert(
            "guest".into(),
            User {
                password: "guest".into(),
                tags: vec!["administrator".into()],
            },
        );
        a.vhosts.insert("/".into());
        a.perms
            .insert(("guest".into(), "/".into()), Rc::new(Permissions::all()));
        a
    }
}

impl Access {
    pub fn users(&self) -> impl Iterator<Item = (&String, &User)> {
        self.users.iter()
    }
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.get(name)
    }
    pub fn vhosts(&self) -> impl Iterator<Item = &String> {
        self.vhosts.iter()
    }
    pub fn has_vhost(&self, name: &str) -> bool {
        self.vhosts.contains(name)
    }
    /// Every permission: ((user, vhost), permissions), by user then vhost.
    pub fn permissions(&self) -> impl Iterator<Item = (&(String, String), &Rc<Permissions>)> {
        self.perms.iter()
    }
    pub fn permission(&self, user: &str, vhost: &str) -> Option<&Rc<Permissions>> {
        self.perms.get(&(user.to_string(), vhost.to_string()))
    }

    /// `connection.start-ok` and `connection.open`: the user's permissions in `vhost`, or the
    /// `connection.close` RabbitMQ sends (403 for credentials, 530 for the vhost).
    pub fn login(&self, user: &str, password: &str, vhost: &str) -> Result<Rc<Permissions>, crate::AmqpError> {
        match self.users.get(user) {
            Some(u) if u.password == password => {}
            _ => return Err(login_refused()),
        }
        if !self.vhosts.contains(vhost) {
            return Err(crate::AmqpError::new(
                530,
                "NOT_ALLOWED",
                format!("vhost {vhost} not found"),
            ));
        }
        self.permission(user, vhost).cloned().ok_or_else(|| {
            crate::AmqpError::new(
                530,
                "NOT_ALLOWED",
                format!("access to vhost '{vhost}' refused for user '{user}'"),
            )
        })
    }

    pub fn add_user(&mut self, name: &str, password: &str) -> Result<(), CtlError> {
        if self.users.contains_key(name) {
            return Err(CtlError::new(70, format!("User \"{name}\" already exists")));
        }
        self.users.insert(
            name.to_string(),
            User {
                password: password.to_string(),
                tags: Vec::new(),
            },
        );
        Ok(())
    }

    /// Deletes the user and its permissions (the broker then closes its connections).
    pub fn delete_user(&mut self, name: &str) -> Result<(), CtlError> {
        self.users.remove(name).ok_or_else(|| CtlError::no_user(name, true))?;
        self.perms.retain(|(u, _), _| u != name);
        Ok(())
    }

    pub fn change_password(&mut self, name: &str, password: &str) -> Result<(), CtlError> {
        let u = self.users.get_mut(name).ok_or_else(|| CtlError::no_user(name, true))?;
        u.password = password.to_string();
        Ok(())
    }

    pub fn set_user_tags(&mut self, name: &str, tags: &[String]) -> Result<(), CtlError> {
        let u = self.users.get_mut(name).ok_or_else(|| CtlError::no_user(name, true))?;
        u.tags = tags.to_vec();
        Ok(())
    }

    /// `add_vhost`: adding one that exists is not an error.
    pub fn add_vhost(&mut self, name: &str) {
        self.vhosts.insert(name.to_string());
    }

    /// Deletes the vhost and every permission in it (the broker then drops what it held).
    pub fn delete_vhost(&mut self, name: &str) -> Result<(), CtlError> {
        if !self.vhosts.remove(name) {
            return Err(CtlError::new(65, format!("Virtual host '{name}' does not exist")));
        }
        self.perms.retain(|(_, v), _| v != name);
        Ok(())
    }

    pub fn set_permissions(
        &mut self,
        vhost: &str,
        user: &str,
        configure: &str,
        write: &str,
        read: &str,
        version: Version,
    ) -> Result<Rc<Permissions>, CtlError> {
        if !self.users.contains_key(user) {
            return Err(CtlError::no_user(user, false));
        }
        if !self.vhosts.contains(vhost) {
            return Err(CtlError::no_vhost(vhost));
        }
        let p = Rc::new(Permissions::with_version(configure, write, read, version)?);
        self.perms.insert((user.to_string(), vhost.to_string()), p.clone());
        Ok(p)
    }

    pub fn clear_permissions(&mut self, vhost: &str, user: &str) -> Result<(), CtlError> {
        if !self.users.contains_key(user) {
            return Err(CtlError::no_user(user, false));
        }
        if !self.vhosts.contains(vhost) {
            return Err(CtlError::no_vhost(vhost));
        }
        self.perms.remove(&(user.to_string(), vhost.to_string()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn patterns_match_anywhere_and_empty_allows_nothing() {
        let p = Permissions::new("^bob-", "bob", "").unwrap();
        assert!(p.allows(Perm::Configure, "bob-q"));
        assert!(!p.allows(Perm::Configure, "q-bob"));
        assert!(p.allows(Perm::Write, "q-bob-x"), "unanchored, as re:run");
        assert!(!p.allows(Perm::Read, "anything"));
        assert!(Permissions::all().allows(Perm::Read, ""));
        let e = Pattern::new("(").unwrap_err();
        assert_eq!(e.status, 69);
        assert_eq!(e.text, "{:invalid_regexp, '(', {'missing )', 1}}");
        let e = Pattern::new("a\\").unwrap_err();
        assert_eq!(e.text, "{:invalid_regexp, 'a\\\\', {'\\\\ at end of pattern', 2}}");
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn login_checks_credentials_then_vhost_then_permission() {
        let mut a = Access::default();
        assert!(a.login("guest", "guest", "/").is_ok());
        assert_eq!(a.login("guest", "nope", "/").unwrap_err().code, 403);
        assert_eq!(a.login("zed", "guest", "/").unwrap_err().code, 403);
        assert_eq!(
            a.login("guest", "guest", "v1").unwrap_err().text,
            "NOT_ALLOWED - vhost v1 not found"
        );
        a.add_vhost("v1");
        a.add_user("bob", "pw").unwrap();
        assert_eq!(
            a.login("bob", "pw", "v1").unwrap_err().text,
            "NOT_ALLOWED - access to vhost 'v1' refused for user 'bob'"
        );
        a.set_permissions("v1", "bob", "", "", "", Version::V3_10).unwrap();
        assert!(a.login("bob", "pw", "v1").is_ok(), "empty permissions still let one in");
        assert_eq!(
            a.add_user("bob", "x").unwrap_err(),
            CtlError::new(70, "User \"bob\" already exists")
        );
        assert_eq!(
            a.set_permissions("v9", "bob", "", "", "", Version::V3_10)
                .unwrap_err()
                .status,
            69
        );
        a.delete_vhost("v1").unwrap();
        assert!(a.permission("bob", "v1").is_none());
        assert_eq!(a.delete_vhost("v1").unwrap_err().status, 65);
    }
}
