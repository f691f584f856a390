package sizing_test

import (
	"fmt"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/sizing"
)

func ExampleDecide() {
	laptop := sizing.Resources{Cores: 8, TotalRAM: 16 * sizing.GiB, AvailableRAM: 3 * sizing.GiB}
	d := sizing.Decide(laptop, sizing.DefaultProfiles()[names.StageExtract], sizing.Override{})
	fmt.Println(d.Workers, d.MaxAckPending)
	fmt.Println(d.Reason)
	// Output:
	// 3 12
	// 3 workers, bound by ram (cpu 8 cores x 1 = 8; ram 3.0 GiB available x 0.5 / 512 MiB per worker = 3); max ack pending 3 workers x 4
}
