//! Organisations: municipalities, regions, state agencies, associations and suppliers.

use os2pm_levels::names;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    Municipality,
    Region,
    StateAgency,
    Association,
    Supplier,
}

names!(OrganizationKind {
    Municipality => "municipality",
    Region => "region",
    StateAgency => "state_agency",
    Association => "association",
    Supplier => "supplier",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("a CVR number is 8 digits")]
    CvrFormat,
    #[error("the CVR number fails the modulus-11 check")]
    CvrChecksum,
    #[error("a kommunekode is 3 digits")]
    KommunekodeFormat,
}

/// The weights of the CVR modulus-11 check, first digit first.
const CVR_WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];

/// Checks a Danish CVR number: 8 digits whose weighted sum is divisible by 11.
pub fn check_cvr(cvr: &str) -> Result<(), IdentifierError> {
    let digits: Vec<u32> = cvr.chars().filter_map(|c| c.to_digit(10)).collect();
    if cvr.len() != 8 || digits.len() != 8 {
        return Err(IdentifierError::CvrFormat);
    }
    let sum: u32 = digits.iter().zip(CVR_WEIGHTS).map(|(d, w)| d * w).sum();
    if sum.is_multiple_of(11) {
        Ok(())
    } else {
        Err(IdentifierError::CvrChecksum)
    }
}

/// Checks a kommunekode: exactly 3 ASCII digits.
pub fn check_kommunekode(code: &str) -> Result<(), IdentifierError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(IdentifierError::KommunekodeFormat)
    }
}

/// Whether `kind` must carry a kommunekode as its code.
pub fn requires_kommunekode(kind: OrganizationKind) -> bool {
    kind == OrganizationKind::Municipality
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_cvr_numbers_pass() {
        // Numbers whose weighted digit sum is a multiple of 11.
        for cvr in ["34051178", "55133018", "29189846"] {
            assert_eq!(check_cvr(cvr), Ok(()), "{cvr}");
        }
    }

    #[test]
    fn a_changed_digit_fails_the_checksum() {
        assert_eq!(check_cvr("34051179"), Err(IdentifierError::CvrChecksum));
        assert_eq!(check_cvr("12345678"), Err(IdentifierError::CvrChecksum));
    }

    #[test]
    fn cvr_format_is_eight_digits() {
        for bad in [
            "",
            "1234567",
            "123456789",
            "3405117a",
            "3405 117",
            "３４０５１１７８",
        ] {
            assert_eq!(check_cvr(bad), Err(IdentifierError::CvrFormat), "{bad:?}");
        }
    }

    #[test]
    fn kommunekode_is_three_digits() {
        assert_eq!(check_kommunekode("101"), Ok(()));
        for bad in ["", "10", "1010", "1a1", "١٠١"] {
            assert_eq!(
                check_kommunekode(bad),
                Err(IdentifierError::KommunekodeFormat)
            );
        }
    }

    #[test]
    fn kinds_round_trip() {
        for &kind in OrganizationKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
        assert!("county".parse::<OrganizationKind>().is_err());
    }

    #[test]
    fn only_municipalities_carry_a_kommunekode() {
        for kind in OrganizationKind::ALL {
            assert_eq!(
                requires_kommunekode(*kind),
                *kind == OrganizationKind::Municipality,
                "{kind}"
            );
        }
    }
}
