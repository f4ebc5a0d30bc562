{{%AUTOESCAPE context="HTML"}}{{! attribution.html.tpl - the job's share of shared nodes, CPU load, memory and idle energy per node (only when the database had slurm.node_jobs, cpu_load or memory use). }}
{{#HAS_ATTRIBUTION}}<section>
<h2>Shared nodes, utilisation and idle energy</h2>
{{>TABLE}}
</section>{{/HAS_ATTRIBUTION}}
