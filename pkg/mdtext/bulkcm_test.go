package mdtext_test

import (
	"slices"
	"testing"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// An invented export in the shape of a 32.615 bulkCmConfigDataFile.
const bulkCM = `<?xml version="1.0" encoding="UTF-8"?>
<bulkCmConfigDataFile xmlns:es="EricssonSpecificAttributes.1.0.xsd" xmlns:xn="genericNrm.xsd" xmlns:un="utranNrm.xsd">
    <fileHeader fileFormatVersion="32.615 V4.5" vendorName="Vendor"/>
    <configData dnPrefix="Undefined">
        <xn:SubNetwork id="Z1">
            <xn:attributes>
                <xn:userLabel>Z1</xn:userLabel>
            </xn:attributes>
            <un:ZetaCell id="C1">
                <un:attributes>
                    <un:localCellId>14</un:localCellId>
                </un:attributes>
                <xn:VsDataContainer id="C1">
                    <xn:attributes>
                        <xn:vsDataType>vsDataZetaCell</xn:vsDataType>
                        <xn:vsDataFormatVersion>EricssonSpecificAttributes.1.0</xn:vsDataFormatVersion>
                        <es:vsDataZetaCell>
                            <es:boostLevel>2</es:boostLevel>
                            <es:sleepTriggers>
                                <es:normalRelease>1</es:normalRelease>
                            </es:sleepTriggers>
                            <es:emptyValue/>
                        </es:vsDataZetaCell>
                    </xn:attributes>
                </xn:VsDataContainer>
                <xn:VsDataContainer id="1">
                    <xn:attributes>
                        <xn:vsDataType>vsDataFach</xn:vsDataType>
                        <es:vsDataFach>
                            <es:userLabel>Fach 1</es:userLabel>
                        </es:vsDataFach>
                    </xn:attributes>
                </xn:VsDataContainer>
            </un:ZetaCell>
        </xn:SubNetwork>
    </configData>
</bulkCmConfigDataFile>
`

func TestBulkCMAttributes(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"whole export", bulkCM, []string{"SubNetwork.userLabel", "ZetaCell.localCellId", "ZetaCell.boostLevel",
			"ZetaCell.sleepTriggers", "ZetaCell.emptyValue", "Fach.userLabel"}},
		// a chunk that starts inside a vendor data element has lost its class
		{"cut off", "        <es:boostLevel>2</es:boostLevel>\n    </es:vsDataZetaCell>\n", nil},
		{"not an export", "The <b>bold</b> text and <i>attributes</i>.\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := dotted(mdtext.BulkCMAttributes(tc.text)); !slices.Equal(got, tc.want) {
				t.Errorf("BulkCMAttributes:\n got  %q\n want %q", got, tc.want)
			}
		})
	}
}

func TestConfigAttributes_eachOnce(t *testing.T) {
	text := "hget ZetaCell= boostLevel|sleepMargin\n" + bulkCM
	got := dotted(mdtext.ConfigAttributes(text))
	want := []string{"ZetaCell.boostLevel", "ZetaCell.sleepMargin", "SubNetwork.userLabel", "ZetaCell.localCellId",
		"ZetaCell.sleepTriggers", "ZetaCell.emptyValue", "Fach.userLabel"}
	if !slices.Equal(got, want) {
		t.Errorf("ConfigAttributes:\n got  %q\n want %q", got, want)
	}
}
