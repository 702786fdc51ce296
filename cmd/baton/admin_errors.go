package main

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v5"
)

// adminErrorHandler answers every error the admin server's routes return
// unhandled, and unknown routes and methods, as {"error": "..."} like the
// admin API's own errors (docs/admin-api.md), instead of echo's
// {"message": "..."}. A 5xx is logged without the request path, which may
// hold a link token (/a/{token}).
func adminErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(c *echo.Context, err error) {
		if r, _ := echo.UnwrapResponse(c.Response()); r != nil && r.Committed {
			return
		}
		code, msg := http.StatusInternalServerError, ""
		var sc echo.HTTPStatusCoder
		if errors.As(err, &sc) && sc.StatusCode() != 0 {
			code = sc.StatusCode()
		}
		var he *echo.HTTPError
		if errors.As(err, &he) {
			msg = he.Message
		}
		if msg == "" {
			msg = http.StatusText(code)
		}
		if code >= http.StatusInternalServerError {
			log.Error("admin: request failed", "method", c.Request().Method, "status", code, "err", err)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(code)
			return
		}
		_ = c.JSON(code, map[string]string{"error": msg})
	}
}
