{{%AUTOESCAPE context="HTML"}}{{! nodes.html.tpl - energy per node and component. }}
<section>
<h2>Energy per node</h2>
{{>TABLE}}
</section>
