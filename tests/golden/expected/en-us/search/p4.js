folioSearchPage(4,{"t":"Includes","u":"includes.html","d":"Block and inline includes.","h":[],"x":"Includes Included block with a nested include: Nested text. Inline: inline words and after."});
