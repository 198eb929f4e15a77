/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"67975accf710a228","locale":"en-us","lang":"en-us","pages":8,"shards":[""]});
