//! `str_enum!`: an enum whose values are stored and shown as fixed strings (statuses,
//! decisions, kinds). One declaration gives the variants, `ALL`, `as_str`, `Display` and a
//! `FromStr` whose error names the value and what was expected; the database's CHECK
//! constraints are tested against `ALL` (`crates/platform/tests/it/statuses.rs`).
//!
//! Serde stays a derive on the enum (the Avro enums need serde's unit variants), and each
//! enum's test checks that serde's name for every variant is its `as_str`.

/// A string that is none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}` (expected one of: {})", expected.join(", "))]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static [&'static str],
}

/// Declares an enum with fixed string forms:
///
/// ```
/// baton_schemas::str_enum! {
///     /// Where a delivery stands.
///     pub enum Light: "light" { Red = "red", Green = "green" }
/// }
/// assert_eq!(Light::Red.as_str(), "red");
/// assert_eq!("green".parse::<Light>(), Ok(Light::Green));
/// assert!("blue".parse::<Light>().unwrap_err().to_string().contains("expected one of: red, green"));
/// ```
#[macro_export]
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value's string form, in declaration order.
            pub const STRS: &'static [&'static str] = &[$($text),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::UnknownValue {
                        what: $what,
                        value: s.to_string(),
                        expected: $name::STRS,
                    }),
                }
            }
        }
    };
}
