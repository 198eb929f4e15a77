folioSearchPage(4,{"t":"Includes (de)","u":"includes.html","d":"Falls back to the source locale's include files.","h":[],"x":"Includes Included block with a nested include: Nested text."});
