"""schema.org JSON-LD for the pages: the organisation, each location's clinic, breadcrumbs
and FAQs.

Every value comes from the same view objects the visible page is rendered from (the phone
number of a clinic is its PhoneView's E.164 form, as in the `tel:` link), so the markup and
the page cannot disagree. Nothing here rates or reviews the provider: self-serving review
markup is against search engines' rules. Facts that are not known (a street address,
coordinates, hours) are left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.render.views import FaqView, LocationView, OrganizationView

CONTEXT = "https://schema.org"


def organization_id(base_url: str) -> str:
    """The @id of the site's organization node, https://www.example.com/#organization, by
    which the WebSite's publisher and every clinic's parentOrganization refer to it."""
    return f"{base_url}/#organization"


def clinic_id(base_url: str, location_url: str) -> str:
    """The @id of a location's MedicalClinic node: its hub's absolute URL plus #clinic."""
    return f"{base_url}{location_url}#clinic"


def organization(
    base_url: str,
    org: OrganizationView,
    logo_url: str | None,
    same_as: Iterable[str],
) -> dict[str, object]:
    """The site's schema.org MedicalOrganization node (https://schema.org/MedicalOrganization):
    name, home URL, E.164 telephone and an admissions ContactPoint, and when given the logo's
    absolute URL, sameAs profiles and insurance networks. See Google's Organization markup,
    https://developers.google.com/search/docs/appearance/structured-data/organization."""
    data: dict[str, object] = {
        "@context": CONTEXT,
        "@type": "MedicalOrganization",
        "@id": organization_id(base_url),
        "name": org.name,
        "url": f"{base_url}/",
        "telephone": org.phone.e164,
        "contactPoint": [
            {
                "@type": "ContactPoint",
                "contactType": "admissions",
                "telephone": org.phone.e164,
                "areaServed": "US",
            }
        ],
    }
    if logo_url:
        data["logo"] = logo_url
    if profiles := list(same_as):
        data["sameAs"] = profiles
    _insurance(data, org)
    return data


def website(base_url: str, name: str, language: str) -> dict[str, object]:
    """The schema.org WebSite node (https://schema.org/WebSite): the site's name, home URL
    and language (inLanguage, a BCP 47 tag), published by the organization node."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": f"{base_url}/#website",
        "name": name,
        "url": f"{base_url}/",
        "inLanguage": language,
        "publisher": {"@id": organization_id(base_url)},
    }


def clinic(
    base_url: str,
    location: LocationView,
    org: OrganizationView,
    image_url: str | None,
) -> dict[str, object]:
    """The location as a MedicalClinic, with the programs offered there as services."""
    address: dict[str, object] = {"@type": "PostalAddress"}
    if location.address:
        address["streetAddress"] = location.address.street
    address["addressLocality"] = location.city
    address["addressRegion"] = location.state
    if location.address:
        address["postalCode"] = location.address.postal_code
    address["addressCountry"] = "US"
    data: dict[str, object] = {
        "@context": CONTEXT,
        "@type": "MedicalClinic",
        "@id": clinic_id(base_url, location.url),
        "name": f"{org.name} {location.name}",
        "url": f"{base_url}{location.url}",
        "telephone": location.phone.e164,
        "address": address,
        "parentOrganization": {"@id": organization_id(base_url)},
    }
    if image_url:
        data["image"] = image_url
    if location.geo:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": location.geo.latitude,
            "longitude": location.geo.longitude,
        }
    if location.hours:
        data["openingHours"] = list(location.hours)
    if not location.address:
        data["areaServed"] = {"@type": "City", "name": f"{location.city}, {location.state}"}
    data["availableService"] = [
        {"@type": "MedicalTherapy", "name": card.title, "url": f"{base_url}{card.url}"}
        for card in location.programs
    ]
    _insurance(data, org)
    return data


def faq_page(entries: Iterable[FaqView]) -> dict[str, object] | None:
    """FAQPage for questions that are shown on the page; None without any."""
    questions = [
        {
            "@type": "Question",
            "name": entry.question,
            "acceptedAnswer": {"@type": "Answer", "text": str(entry.answer)},
        }
        for entry in entries
    ]
    if not questions:
        return None
    return {"@context": CONTEXT, "@type": "FAQPage", "mainEntity": questions}


def _insurance(data: dict[str, object], org: OrganizationView) -> None:
    """The health plan networks the provider is in (as listed in site.yaml)."""
    networks = list(org.insurance.in_network)
    if networks:
        data["healthPlanNetworkId"] = networks[0] if len(networks) == 1 else networks
