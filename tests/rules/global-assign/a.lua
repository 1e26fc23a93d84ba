helper = function() end
