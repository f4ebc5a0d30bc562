{{%AUTOESCAPE context="HTML"}}{{! figures.html.tpl - the key figures as cards. }}
<section class="figures" aria-label="Key figures">
{{#FIGURE}}<div class="figure"><div class="label">{{LABEL}}</div><div class="value">{{VALUE}}</div><div class="note">{{NOTE}}</div></div>
{{/FIGURE}}</section>
