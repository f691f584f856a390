package extraction

import "testing"

// Bare parameters tables: invented feature text in the ELEX shape (the
// Zeta/Orbit classes only have the shape of real ones).

func TestGrouped_bareParameterTables(t *testing.T) {
	const rows = "| Parameter | Description |\n|---|---|\n" +
		"| boostLevel                 TOOLTIPFLAG | Level of the boost. |\n" +
		"| boostMargin TOOLTIPFLAG | Margin kept. |\n"
	for _, tc := range []struct {
		name string
		in   Input
		want map[string]string // parameter name -> role
	}{
		{"the managed object named in the sentence above",
			Input{Text: "## 4.1 Feature Parameters\n\nThe managed object configuration ZetaProfile has Managed Object (MO) ZetaTable as parent.\n\n" +
				"The parameters are described in the\n\nfollowing table:\n\nTable 1   Parameters for Each Profile\n\n" + rows},
			map[string]string{"ZetaProfile.boostLevel": "", "ZetaProfile.boostMargin": ""}},
		{"caption naming the MO",
			Input{Text: "# 10 Parameters for Zeta Boost\n\nThe MO ZetaArea is created by the system.\n\nTable 5   MO OrbitData\n\n" + rows},
			map[string]string{"OrbitData.boostLevel": "", "OrbitData.boostMargin": ""}},
		{"caption naming the MO before Parameters",
			Input{Text: "# 10 Parameters\n\nTable 6   MO OrbitData Parameters\n\n" + rows},
			map[string]string{"OrbitData.boostLevel": "", "OrbitData.boostMargin": ""}},
		{"a line naming the MO above the caption",
			Input{Text: "# 10 Parameters\n\nMO OrbitData\n\nThis MO models the orbit data.\n\nTable 6   Parameters\n\n" + rows},
			map[string]string{"OrbitData.boostLevel": "", "OrbitData.boostMargin": ""}},
		{"the X MO, with roles",
			Input{Text: "# 5 Parameters for Zeta Boost\n\nThe Zeta Boost feature introduces parameters in the\n\nZetaSettings MO.\n\nTable 2   Parameters\n\n" +
				"| Parameter | Type | Description |\n|---|---|---|\n| boostLevel | Introduced | See MOM description. |\n| boostWindow | Affected | See MOM description. |\n"},
			map[string]string{"ZetaSettings.boostLevel": "introduced", "ZetaSettings.boostWindow": "affected"}},
		{"the section heading names the MO",
			Input{Text: "## 5.2 Parameters of the ZetaSettings MO\n\n" + rows},
			map[string]string{"ZetaSettings.boostLevel": "", "ZetaSettings.boostMargin": ""}},
		{"the chunk's heading path names the MO",
			Input{Headings: []string{"Zeta Boost", "5 Parameters of MO ZetaSettings"}, Text: rows},
			map[string]string{"ZetaSettings.boostLevel": "", "ZetaSettings.boostMargin": ""}},
		{"a footnote mark after the name",
			Input{Text: "# 9 Naming\n\nThe ZetaSettings MO is named as follows.\n\n| Parameter | Description |\n|---|---|\n| zetaSettingsId(1) | The RDN. |\n"},
			map[string]string{"ZetaSettings.zetaSettingsId": ""}},

		// negative cases: no class is invented
		{"no MO named",
			Input{Text: "# 5 Parameters of Zeta Boost\n\nThe Zeta Boost feature affects MOM attributes.\n\nTable 4   Parameters\n\n" + rows},
			map[string]string{}},
		{"an MO named only in another section",
			Input{Text: "# 3 Operation\n\nThe MO ZetaSettings holds the boost.\n\n# 4 Parameters\n\nThe parameters are listed below.\n\n" + rows},
			map[string]string{}},
		{"an MO named only in another subsection",
			Input{Text: "# 4 Parameters\n\n## 4.1 Settings\n\nThe MO ZetaSettings holds the boost.\n\n## 4.2 Other Parameters\n\n" + rows},
			map[string]string{}},
		{"two MOs named in the sentence before the table",
			Input{Text: "# 4 Parameters\n\nThe key parameters are in MO ZetaUnit/OrbitUnit.\n\nTable 8   Parameters\n\n" + rows},
			map[string]string{}},
		{"two MOs named before the table, the nearer one unclear",
			Input{Text: "# 4 Parameters\n\nThe MO ZetaSettings holds the boost. The OrbitData MOs exist as children of the ZetaArea MO and the OrbitArea MO.\n\n" + rows},
			map[string]string{}},
		{"two MOs listed together before the table",
			Input{Text: "# 4 Parameters\n\nThe ZetaUnit and the OrbitUnit MOs are created with:\n\n" + rows},
			map[string]string{}},
		{"another class written between the MO and the table",
			Input{Text: "# 4 Parameters\n\nThe MO ZetaSettings holds the boost.\n\nSee also OrbitData.orbitLevel for the limits.\n\n" + rows},
			map[string]string{"OrbitData.orbitLevel": ""}},
		{"an MO above the previous table stays with it",
			Input{Text: "# 4 Parameters\n\nThe MO ZetaSettings holds the boost.\n\n" + rows + "\nTable 3   Other Parameters\n\n" +
				"| Parameter | Description |\n|---|---|\n| orbitLevel | Level. |\n"},
			map[string]string{"ZetaSettings.boostLevel": "", "ZetaSettings.boostMargin": ""}},
		{"a table that writes classes in other rows: its bare rows are no attributes of the MO",
			Input{Text: "# 5 Parameters\n\nThe feature introduces parameters in the ZetaSettings MO.\n\n" +
				"| Parameter | Type | Description |\n|---|---|---|\n| ZetaSettings.boostLevel | Introduced | See MOM description. |\n| changeNotification | Introduced | Member of the OrbitSibs struct. |\n"},
			map[string]string{"ZetaSettings.boostLevel": "introduced"}},
		{"capitalized words after MO are no class",
			Input{Text: "## 9.1 Zeta MO Naming Conventions\n\n" + rows},
			map[string]string{}},
		{"a counter row is no attribute",
			Input{Text: "# 5 Parameters\n\nThe ZetaSettings MO holds them.\n\n| Parameter | Description |\n|---|---|\n| pmBoostSucc | Successes. |\n"},
			map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sameMap(t, "roles", roles(extractMode(t, ModeFeatureGrouped, tc.in)), tc.want)
		})
	}
}

func TestBasic_bareParameterTablesWaitForFeatureGrouped(t *testing.T) {
	in := Input{Text: "# 5 Parameters\n\nThe ZetaSettings MO holds them.\n\n| Parameter | Description |\n|---|---|\n| boostLevel | Level. |\n"}
	for _, m := range []Mode{ModeBasic, ModeCmedit} {
		if r := extractMode(t, m, in); len(r.Parameters) != 0 {
			t.Errorf("%s: parameters %v, want none (the table structure is read from feature_grouped on)", m, parameterNames(r))
		}
	}
}
