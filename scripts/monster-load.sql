-- monster-load.sql - move rows of a raw_power.csv (staged by psql's \copy
-- into public.stage) into the MonSter tables: names into public.nodes,
-- public.source, public.fqdd and public.metrics_definition, readings into
-- idrac.<metric>.  Run by scripts/demo-pg with -v hosts='rpc%' to keep one
-- partition's nodes per database.
DELETE FROM public.stage WHERE hostname NOT LIKE :'hosts';
INSERT INTO public.nodes (hostname)
	SELECT DISTINCT hostname FROM public.stage ORDER BY 1;
INSERT INTO public.source (source)
	SELECT DISTINCT source FROM public.stage WHERE source IS NOT NULL ORDER BY 1;
INSERT INTO public.fqdd (fqdd)
	SELECT DISTINCT fqdd FROM public.stage WHERE fqdd IS NOT NULL ORDER BY 1;
INSERT INTO public.metrics_definition (metric_id, metric_name, units)
	SELECT DISTINCT metric, metric, units FROM public.stage ORDER BY 1;
DO $$
DECLARE
	m text;
BEGIN
	FOR m IN SELECT DISTINCT metric FROM public.stage LOOP
		EXECUTE format('INSERT INTO idrac.%I'
		    ' SELECT s.ts, n.nodeid, o.id, f.id, s.value'
		    ' FROM public.stage s JOIN public.nodes n USING (hostname)'
		    ' LEFT JOIN public.source o ON o.source = s.source'
		    ' LEFT JOIN public.fqdd f ON f.fqdd = s.fqdd'
		    ' WHERE s.metric = %L', lower(m), m);
	END LOOP;
END $$;
DROP TABLE public.stage;
