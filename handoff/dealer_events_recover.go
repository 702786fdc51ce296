package handoff

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v5"
)

// handleRecovered is handle with a panic recovered (recovered): the event
// is answered 500, like a store failure, so the dealer retries it, and the
// panic is logged once at ERROR with its stack, never the body.
func (d *DealerEvents) handleRecovered(c *echo.Context) error {
	var answer error
	err := recovered(d.log.With("dealer", c.Param("name")), func() error {
		answer = d.handle(c)
		return nil
	})
	if errors.Is(err, errPanicked) {
		return c.JSON(http.StatusInternalServerError, eventAnswer{Error: "try again"})
	}
	return answer
}
