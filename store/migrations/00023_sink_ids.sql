-- +goose Up
-- Notify sinks' delivery records (handoff_deliveries, ticket_deliveries)
-- were keyed by the sink's place in the config's notify list,
-- "notify:<n>:<kind>" (and "notify:<n>:<kind>:closed"); they are keyed by
-- the sink's id now, "notify:<id>" (configs.Notify.SinkID), so that editing
-- the list does not make one sink inherit another's records. Which id an
-- old place stands for is in the config, which a migration does not see: a
-- row here says records of the old shape remain, and baton serve renames
-- them once, with the config it starts with (store.AdoptSinkNames), then
-- deletes the row.
CREATE TABLE legacy_sink_names (pending INTEGER NOT NULL);
INSERT INTO legacy_sink_names (pending)
    SELECT 1 WHERE EXISTS (SELECT 1 FROM handoff_deliveries WHERE target GLOB 'notify:[0-9]*:*')
        OR EXISTS (SELECT 1 FROM ticket_deliveries WHERE target GLOB 'notify:[0-9]*:*');

-- +goose Down
DROP TABLE legacy_sink_names;
