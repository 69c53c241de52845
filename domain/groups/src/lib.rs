//! Groups and the organisations that hold their seats.
//!
//! Representation follows the organisation, not the person (KDI model): seats in steering and
//! coordination groups belong to organisations. This crate holds what an organisation is and
//! the rules its identifiers obey.

pub mod board;
pub mod coordination;
pub mod organizations;
pub mod steering;

/// A representative who would hold another organisation's seat.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{representative}` belongs to `{belongs_to}` and cannot hold `{organization}`'s seat")]
pub struct ForeignRepresentative {
    pub representative: String,
    pub organization: String,
    pub belongs_to: String,
}

/// A seat in a steering or coordination group is filled by one of its organisation's own people
/// (report 4.1.4: the members come from the participating municipalities; KDI 2021: the seat
/// belongs to the organisation, which names its representative). Organisations by id.
pub fn check_representative(
    organization: &str,
    representative: &str,
    belongs_to: &str,
) -> Result<(), ForeignRepresentative> {
    if organization == belongs_to {
        Ok(())
    } else {
        Err(ForeignRepresentative {
            representative: representative.to_owned(),
            organization: organization.to_owned(),
            belongs_to: belongs_to.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_is_filled_by_its_own_organisations_people() {
        assert_eq!(check_representative("751", "jens", "751"), Ok(()));
        assert_eq!(
            check_representative("101", "jens", "751"),
            Err(ForeignRepresentative {
                representative: "jens".into(),
                organization: "101".into(),
                belongs_to: "751".into(),
            })
        );
    }
}
