package app_test

import "github.com/ranstream/ranstream/pkg/extraction"

type (
	extractionFeature   = extraction.Feature
	extractionParameter = extraction.Parameter
	extractionCounter   = extraction.Counter
	extractionEvent     = extraction.Event
	extractionRelated   = extraction.RelatedFeature
)
