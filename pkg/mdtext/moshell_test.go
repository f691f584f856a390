package mdtext_test

import (
	"slices"
	"testing"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

func TestMoshellAttributes(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"hgetc with anchored alternatives", "hgetc NRCellDU= ^administrativeState$|^cellLocalId$|^nRPCI$|^tac$\n",
			[]string{"NRCellDU.administrativeState", "NRCellDU.cellLocalId", "NRCellDU.nRPCI"}},
		{"the class of the filter's last RDN", "hget ENodeBFunction=1,SectorCarrier= reservedBy|noOfRxAntennas|configuredMaxTxPower\n",
			[]string{"SectorCarrier.reservedBy", "SectorCarrier.noOfRxAntennas", "SectorCarrier.configuredMaxTxPower"}},
		{"set names one attribute, then its value", "  set Equipment=1,FieldReplaceableUnit=BB-1,AlarmPort=3 normallyOpen falseValue #comment\n",
			[]string{"AlarmPort.normallyOpen"}},
		{"a comment ends the filters", "hget RadioEquipmentClockReference syncRefType #checks syncRefType|priorityLevel\n",
			[]string{"RadioEquipmentClockReference.syncRefType"}},
		{"regexp classes, lower-case classes and partial attributes name nothing",
			"hgetc ^EUtranCell.DD ^administrativeState$\nhget retsubunit electricalanten|label\nhget alarmport normallyOpen\nget 0 productName > $x\nGNB.*Function gNBId\n",
			nil},
		{"an hget table: header attributes, class from the first row",
			"hget retsubunit electricalanten|label\n\n=====\nMO                     electricalAntennaTilt operationalState userLabel\n=====\n" +
				"\"AntennaUnitGroup=1,AntennaNearUnit=RET-1,RetSubUnit=1 80  1 (ENABLED)  ret_900 \"\n" +
				"\"AntennaUnitGroup=2,AntennaNearUnit=RET-1,RetSubUnit=1 40  1 (ENABLED)  ret_900 \"\n",
			[]string{"RetSubUnit.electricalAntennaTilt", "RetSubUnit.operationalState", "RetSubUnit.userLabel"}},
		{"a header not followed by an LDN row names nothing", "MO operationalState userLabel\nThe MO classes are listed below.\nFoo=1 bar\n", nil},
		{"prose that starts with a command word", "set the administrativeState attribute to UNLOCKED\nget EUtranCellFDD\n", nil},
		{"each once", "hget QciProfilePredefined qciValue|dscpValue\nhget QciProfilePredefined= ^qciValue$\n",
			[]string{"QciProfilePredefined.qciValue", "QciProfilePredefined.dscpValue"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := dotted(mdtext.MoshellAttributes(tc.text)); !slices.Equal(got, tc.want) {
				t.Errorf("MoshellAttributes:\n got  %q\n want %q", got, tc.want)
			}
		})
	}
}

// dotted names each attribute Class.attribute.
func dotted(ms []mdtext.MOAttribute) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Class+"."+m.Attribute)
	}
	return out
}
