#include "ft/assess/regimes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;

std::vector<std::string> ids(const std::vector<Applicability>& list) {
  std::vector<std::string> out;
  for (const auto& a : list) out.push_back(shipped_catalogs().regimes.regimes[static_cast<std::size_t>(a.regime)].id);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

TEST(Regimes, ApplicabilityByMarketCategorySectorInterface) {
  const Date date = *parse_date("2026-11-27");
  RegimeQuery query{{"EU"}, "pressure-transmitter", {}, {"hart"}, "process-measurement"};
  auto eu = ids(applicable_regimes(shipped_catalogs(), query, date));
  EXPECT_TRUE(has(eu, "eu-cra"));
  EXPECT_TRUE(has(eu, "iec-tc65-2026-guidance"));
  EXPECT_FALSE(has(eu, "eu-red-da"));            // no radio
  EXPECT_FALSE(has(eu, "eu-nis2-supply-chain"));  // no sector given
  EXPECT_FALSE(has(eu, "cn-gbt-42278"));

  query.interfaces.push_back("wirelesshart");
  query.sectors = {"water"};
  auto radio = ids(applicable_regimes(shipped_catalogs(), query, date));
  EXPECT_TRUE(has(radio, "eu-red-da"));
  EXPECT_TRUE(has(radio, "eu-nis2-supply-chain"));

  // Field-instrument-only regimes skip a gateway; CN market access follows the market.
  RegimeQuery gateway{{"CN", "US"}, "fieldbus-gateway", {"oil-and-gas"}, {"modbus-tcp"}, "routers-modems-switches"};
  auto gw = ids(applicable_regimes(shipped_catalogs(), gateway, date));
  EXPECT_FALSE(has(gw, "cn-gbt-42278"));
  EXPECT_FALSE(has(gw, "iec-tc65-2026-guidance"));
  EXPECT_TRUE(has(gw, "us-api-1164"));
  EXPECT_TRUE(has(gw, "oil-gas-62443-procurement"));
  RegimeQuery transmitter_cn{{"CN"}, "flowmeter", {}, {"hart"}, ""};
  EXPECT_TRUE(has(ids(applicable_regimes(shipped_catalogs(), transmitter_cn, date)), "cn-gbt-42278"));
}

TEST(Regimes, DeadlinesCountFromTheGivenDate) {
  RegimeQuery query{{"EU", "CN"}, "pressure-transmitter", {}, {"hart"}, ""};
  const auto list = applicable_regimes(shipped_catalogs(), query, *parse_date("2026-09-01"));
  const auto cra = std::find_if(list.begin(), list.end(), [](const Applicability& a) {
    return shipped_catalogs().regimes.regimes[static_cast<std::size_t>(a.regime)].id == "eu-cra";
  });
  ASSERT_NE(cra, list.end());
  ASSERT_TRUE(cra->due);
  EXPECT_EQ(cra->due->milestone->id, "full-application");
  EXPECT_EQ(cra->due->days_left, 466);
  ASSERT_EQ(cra->milestones.size(), 4u);
  EXPECT_LT(cra->milestones[0].days_left, 0);  // in force since 2024
  EXPECT_EQ(cra->milestones[2].days_left, 10);  // reporting from 2026-09-11
  // Art. 14 is due with the reporting milestone, Annex I with full application.
  EXPECT_EQ(item_due(*cra, shipped_catalogs().find_item("eu-cra:Art14"))->milestone->id, "reporting");
  EXPECT_EQ(item_due(*cra, shipped_catalogs().find_item("eu-cra:I-2f"))->milestone->id, "full-application");
  ASSERT_TRUE(cra->cra);
  EXPECT_EQ(cra->cra->id, "default");
}

TEST(Regimes, CraClassFollowsTheCoreFunction) {
  EXPECT_EQ(classify_cra(shipped_catalogs(), "process-measurement").id, "default");
  EXPECT_EQ(classify_cra(shipped_catalogs(), "boot-managers").id, "important-I");
  EXPECT_EQ(classify_cra(shipped_catalogs(), "firewalls-ids-ips").id, "important-II");
  const CraClass critical = classify_cra(shipped_catalogs(), "smartcards-secure-elements");
  EXPECT_EQ(critical.id, "critical");
  EXPECT_NE(critical.conformity.find("certificate"), std::string::npos);
}

TEST(Regimes, VariantForType) {
  const CatalogSet& set = shipped_catalogs();
  const int edr = set.find_item("EDR 3.10 RE1");
  EXPECT_EQ(variant_for_type(set, edr, ComponentType::edr), edr);
  EXPECT_EQ(variant_for_type(set, edr, ComponentType::ndr), set.find_item("NDR 3.10 RE1"));
  EXPECT_EQ(variant_for_type(set, edr, ComponentType::sar), -1);  // no SAR 3.10
  EXPECT_EQ(variant_for_type(set, set.find_item("CR 3.4 RE1"), ComponentType::hdr), set.find_item("CR 3.4 RE1"));
}

}  // namespace
}  // namespace ft::assess
