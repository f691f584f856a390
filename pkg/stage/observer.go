package stage

import (
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// Observer is told what a stage does with its messages, for metrics. The
// stage package owns the interface and knows nothing of who implements it
// (pkg/metrics, with a registry of its own); nil observes nothing.
type Observer interface {
	// Received is called once per delivery of a message to stage;
	// redelivered is true from its second delivery on.
	Received(stage string, redelivered bool)
	// Handled is called once per handling attempt (in-process retries
	// included), with its duration, the outputs it published and its error.
	Handled(stage string, took time.Duration, outputs int, err error)
	// DeadLettered is called once per message sent to dlq.<stage>.
	DeadLettered(stage string)
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) Received(string, bool)                     {}
func (nopObserver) Handled(string, time.Duration, int, error) {}
func (nopObserver) DeadLettered(string)                       {}

// received reports each delivery to the observer; it is the outermost middleware.
func received(name string, o Observer) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			n, _ := strconv.ParseUint(msg.Metadata.Get(MetaDeliveries), 10, 64)
			o.Received(name, n > 1)
			return h(msg)
		}
	}
}
