//! What the Settings screen and the set-up steps show, in one read: the clinic, its people,
//! rooms and services, and the choices their forms offer.

use serde::Serialize;
use ts_rs::TS;

use super::Store;
use crate::domain::clinic::ClinicSettings;
use crate::domain::journey::ServiceType;
use crate::domain::resources::{Provider, Role, Room, Staff};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SetupData {
    pub settings: ClinicSettings,
    pub staff: Vec<Staff>,
    pub providers: Vec<Provider>,
    pub rooms: Vec<Room>,
    pub services: Vec<ServiceType>,
    /// The journeys (the newest version of each); a retired one is shown only for a service
    /// that still follows it.
    pub journeys: Vec<JourneyChoice>,
    /// The default journeys a new one may start from, in the clinic's content language.
    pub default_journeys: Vec<JourneyChoice>,
    /// The IANA zones a clinic may be in (by region, no legacy aliases), sorted.
    pub time_zones: Vec<String>,
    pub roles: Vec<Role>,
    /// Which alternating week this one is, for "every other week, from this week".
    pub this_week: crate::domain::clinic::Weeks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JourneyChoice {
    pub family_key: String,
    pub name: String,
    pub retired: bool,
}

impl Store {
    pub fn setup_data(&self) -> Result<SetupData> {
        let journeys = self
            .list_journeys()?
            .into_iter()
            .map(|j| JourneyChoice { family_key: j.family_key, name: j.name, retired: j.retired })
            .collect();
        // The zones a clinic is in, by region; legacy aliases ("US/Eastern", "Etc/GMT+3" whose
        // sign reads backwards) are still accepted when typed, just not offered.
        const REGIONS: [&str; 9] = [
            "Africa/",
            "America/",
            "Antarctica/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        let mut time_zones: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name().to_string())
            .filter(|name| REGIONS.iter().any(|r| name.starts_with(r)) || name == "UTC")
            .collect();
        time_zones.sort();
        let settings = self.get_settings()?;
        Ok(SetupData {
            default_journeys: super::seed::default_choices(&settings.default_language)?,
            settings,
            staff: self.list_staff()?,
            providers: self.list_providers()?,
            rooms: self.list_rooms()?,
            services: self.list_service_types()?,
            journeys,
            time_zones,
            roles: Role::ALL.to_vec(),
            this_week: crate::domain::clinic::Weeks::of(self.calendar()?.local_date(self.now())),
        })
    }
}
