-- demo-slurm.sql - slurm.node_jobs, cpu_load and memoryusage for the sample
-- job (scripts/demo-pg), so the report shows attribution, utilisation and
-- idle energy: rpc-91-1 (192 CPUs) is shared from the second hour on with
-- job 4300 (96 CPUs) and sits idle its first 20 minutes; rpg-93-1 is the
-- job's alone, its GPUs' utilisation (idrac.gpuutilization, which the demo
-- config names in gpu_util_metrics) every 30 s: 2 % the first 20 minutes,
-- then bursts, and no rows for 10 minutes after the first hour (a gap).
-- Run with -v start=EPOCH -v end=EPOCH.
ALTER TABLE public.nodes ADD COLUMN IF NOT EXISTS cpus INT;
UPDATE public.nodes SET cpus = CASE WHEN hostname LIKE 'rpg%' THEN 96 ELSE 192 END;
INSERT INTO slurm.node_jobs
SELECT to_timestamp(:start + 60 * k), n.nodeid,
	CASE WHEN n.hostname LIKE 'rpc%' AND k >= 60 THEN '{4242,4300}'::int[] ELSE '{4242}' END,
	CASE WHEN n.hostname LIKE 'rpc%' AND k >= 60 THEN '{96,96}'::int[]
	     WHEN n.hostname LIKE 'rpc%' THEN '{96}' ELSE '{96}' END
FROM public.nodes n, generate_series(-1, (:end - :start) / 60) k;
INSERT INTO slurm.cpu_load
SELECT to_timestamp(:start + 60 * k), n.nodeid,
	CASE WHEN k < 20 THEN 3 ELSE 60 + k % 30 END
FROM public.nodes n, generate_series(0, (:end - :start) / 60) k;
INSERT INTO slurm.memoryusage
SELECT to_timestamp(:start + 60 * k), n.nodeid, 30 + k % 40
FROM public.nodes n, generate_series(0, (:end - :start) / 60) k;
CREATE TABLE IF NOT EXISTS idrac.gpuutilization (LIKE idrac.systeminputpower);
INSERT INTO idrac.gpuutilization
SELECT to_timestamp(:start + 30 * k), g.nodeid, g.source, g.fqdd,
	CASE WHEN k < 40 THEN 2 ELSE round((60 + 35 * sin(k / 4.0 + g.fqdd))::numeric, 1) END
FROM (SELECT DISTINCT nodeid, source, fqdd FROM idrac.powerconsumption) g,
	generate_series(0, (:end - :start) / 30) k
WHERE k NOT BETWEEN 120 AND 139;
